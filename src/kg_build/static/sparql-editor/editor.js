// The workbench's SPARQL editor as a Streamlit component (plain script, no build step, nothing fetched).
//
// Streamlit sends "streamlit:render" with the Python call's arguments: value (the text), version
// (bumped when Python replaces the text), words (completions: {text, kind, hint}), height (px).
// The editor answers {text, version, nonce, run}: run is true for Ctrl+Enter / Cmd+Enter, false
// when the editor loses focus with the text changed. Python ignores answers of an older version.
(function () {
  "use strict";
  var editor = null;
  var version = null;
  var nonce = 0;
  var sent = null;
  var words = [];
  var frameHeight = 0;

  function post(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    for (var key in data) { message[key] = data[key]; }
    window.parent.postMessage(message, "*");
  }

  function answer(run) {
    nonce += 1;
    sent = editor.getValue();
    post("streamlit:setComponentValue", {
      value: { text: sent, version: version, nonce: nonce, run: run }, dataType: "json"
    });
  }

  function fitFrame() {
    var height = document.getElementById("kg-editor").offsetHeight + 2;
    if (height !== frameHeight) {
      frameHeight = height;
      post("streamlit:setFrameHeight", { height: height });
    }
  }

  // the word being typed: a prefixed name or its start (never a variable's name)
  var NAME_CHAR = /[\w\-.:\u00b7\u4e00-\u9fff]/;

  function hint(cm) {
    var cursor = cm.getCursor();
    var line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && NAME_CHAR.test(line.charAt(start - 1))) { start -= 1; }
    var before = line.charAt(start - 1);
    var typed = line.slice(start, cursor.ch);
    if (before === "?" || before === "$" || before === "<" || typed.length === 0) { return null; }
    var lower = typed.toLowerCase();
    var hasColon = typed.indexOf(":") >= 0;
    var list = words.filter(function (w) {
      var text = w.text.toLowerCase();
      if (text.indexOf(lower) === 0) { return text !== lower; }
      // without a colon, "Targ" also finds pol:Target
      return !hasColon && typed.length >= 2 && text.indexOf(":" + lower) > 0 && w.kind !== "prefix";
    });
    if (!list.length) { return null; }
    return {
      list: list.slice(0, 200).map(function (w) {
        return {
          text: w.text,
          className: "kg-hint-" + w.kind,
          render: function (element) {
            var kind = document.createElement("span");
            kind.className = "kg-hint-kind";
            kind.textContent = w.kind.charAt(0).toUpperCase();
            element.appendChild(kind);
            var text = document.createElement("span");
            text.className = "kg-hint-text";
            text.textContent = w.text;
            element.appendChild(text);
            if (w.hint) {
              var note = document.createElement("span");
              note.className = "kg-hint-note";
              note.textContent = w.hint;
              element.appendChild(note);
            }
          }
        };
      }),
      from: CodeMirror.Pos(cursor.line, start),
      to: CodeMirror.Pos(cursor.line, cursor.ch)
    };
  }

  function run(cm) { answer(true); }

  function create(args) {
    var host = document.getElementById("kg-editor");
    editor = CodeMirror(host, {
      value: args.value || "",
      mode: "application/sparql-query",
      lineNumbers: true,
      matchBrackets: true,
      autoCloseBrackets: false,
      indentUnit: 2,
      tabSize: 2,
      lineWrapping: false,
      viewportMargin: Infinity,
      extraKeys: {
        "Ctrl-Enter": run,
        "Cmd-Enter": run,
        "Ctrl-Space": function (cm) { cm.showHint({ hint: hint, completeSingle: false }); },
        "Ctrl-/": "toggleComment",
        "Cmd-/": "toggleComment",
        "Tab": function (cm) { cm.execCommand(cm.somethingSelected() ? "indentMore" : "insertSoftTab"); }
      }
    });
    editor.getWrapperElement().setAttribute("data-testid", "kg-sparql-editor");
    editor.getInputField().setAttribute("aria-label", args.label || "SPARQL");
    editor.setSize(null, args.height || 300);
    editor.on("inputRead", function (cm, change) {
      var last = change.text[change.text.length - 1];
      if (/[\w:]$/.test(last) && !cm.state.completionActive) {
        cm.showHint({ hint: hint, completeSingle: false });
      }
    });
    editor.on("blur", function () {
      if (editor.getValue() !== sent) { answer(false); }
    });
    sent = editor.getValue();
    window.kgEditor = editor; // for tests and the curious
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "streamlit:render") { return; }
    var args = data.args || {};
    words = args.words || words;
    if (editor === null) {
      create(args);
      version = args.version;
    } else if (args.version !== version) {
      version = args.version;
      editor.setValue(args.value || "");
      sent = editor.getValue();
    }
    fitFrame();
  });

  post("streamlit:componentReady", { apiVersion: 1 });
})();
