// The graph view as a Streamlit component: Streamlit sends "streamlit:render" with the Python call's
// arguments (view: what graph.js draws); the view is drawn again only when it changed.
(function () {
  "use strict";
  var drawn = null;
  var frameHeight = 0;

  function post(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    for (var key in data) { message[key] = data[key]; }
    window.parent.postMessage(message, "*");
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "streamlit:render") { return; }
    var view = (data.args || {}).view;
    if (!view) { return; }
    var text = JSON.stringify(view);
    if (text !== drawn) {
      drawn = text;
      window.kgDraw(view);
    }
    var height = document.body.scrollHeight;
    if (height !== frameHeight) {
      frameHeight = height;
      post("streamlit:setFrameHeight", { height: height });
    }
  });

  post("streamlit:componentReady", { apiVersion: 1 });
})();
