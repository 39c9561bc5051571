// The query page of `kg-build serve`: YASGUI (copied from the installed oxigraph server) pointed at this
// endpoint, completing prefixes, classes and properties from this server's ontology lists. Left to its
// defaults YASGUI asks prefix.cc for prefixes and Linked Open Vocabularies for classes and properties;
// this page asks nothing of any other host (the server's Content-Security-Policy refuses it too).
(function () {
  "use strict";
  var here = window.location.origin;
  var endpoint = here + "/query";
  var Yasqe = Yasgui.Yasqe;
  var terms = null;

  function ontologyTerms() {
    if (terms === null) {
      terms = fetch(here + "/terms.json").then(function (response) {
        if (!response.ok) throw new Error("Failed to fetch the ontology's terms");
        return response.json();
      });
    }
    return terms;
  }

  // a term matches what is typed by its whole IRI (a prefixed name is expanded first) or by its local name
  function fromOntology(kind) {
    return function (yasqe, token) {
      var typed = ((token && token.autocompletionString) || "").toLowerCase();
      return ontologyTerms().then(function (all) {
        return all[kind].filter(function (iri) {
          var lower = iri.toLowerCase();
          var local = lower.replace(/^.*[#\/:]/, "");
          return lower.indexOf(typed) === 0 || local.indexOf(typed) === 0;
        });
      });
    };
  }

  Yasqe.defaults.prefixCcApi = here + "/prefixes.json";
  Yasqe.Autocompleters["class"].get = fromOntology("classes");
  Yasqe.Autocompleters["property"].get = fromOntology("properties");
  Yasgui.defaults.requestConfig.endpoint = endpoint;

  new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
    },
    yasqe: {
      prefixCcApi: here + "/prefixes.json",
      value: [
        "PREFIX pol: <https://w3id.org/policy-kg/def#>",
        "PREFIX dct: <http://purl.org/dc/terms/>",
        "SELECT ?report ?year ?title WHERE {",
        "  ?report a pol:WorkReport ;",
        "          pol:planYear ?year ;",
        "          dct:title ?title .",
        "} ORDER BY ?year ?report LIMIT 50",
      ].join("\n"),
    },
  });
})();
