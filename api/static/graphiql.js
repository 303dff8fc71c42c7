// GraphiQL at /graphql, from the vendored React, GraphiQL and explorer plugin (static/vendor/).
//
// What strawberry's own page does, without its CDN: the query and variables are kept in the
// address (?q=…&variables=…) so a query can be shared as a link; queries are POSTed to this
// same URL. The schema has no subscriptions, so no WebSocket URL is given.

const parameters = {};
for (const [key, value] of new URLSearchParams(window.location.search)) {
  parameters[key] = value;
}

function updateURL(changed) {
  Object.assign(parameters, changed);
  const kept = Object.entries(parameters).filter(([, value]) => Boolean(value));
  history.replaceState(null, "", kept.length ? "?" + new URLSearchParams(kept) : "?");
}

const fetcher = GraphiQL.createFetcher({ url: window.location.href.split("?")[0] });
const explorer = GraphiQLPluginExplorer.explorerPlugin();

function Page() {
  const [query, setQuery] = React.useState(parameters.q);
  const [variables, setVariables] = React.useState(parameters.variables);
  return React.createElement(GraphiQL, {
    fetcher,
    plugins: [explorer],
    query,
    variables,
    onEditQuery(text) {
      setQuery(text);
      updateURL({ q: text });
    },
    onEditVariables(text) {
      setVariables(text);
      updateURL({ variables: text });
    },
    defaultEditorToolsVisibility: true,
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Page));
