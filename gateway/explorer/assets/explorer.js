// Explorer page: GraphiQL with "act as" presets that fill in the request headers (development).
(async function main() {
  const config = await (await fetch('/explorer/config.json')).json();
  const select = document.getElementById('preset');
  const note = document.getElementById('preset-note');
  const presets = config.presets || [];
  const none = document.createElement('option');
  none.value = '';
  none.textContent = presets.length ? '— choose a caller —' : '(no presets: add headers yourself)';
  select.appendChild(none);
  presets.forEach((preset, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = preset.label;
    select.appendChild(option);
  });
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function render(headers, key, query) {
    root.render(
      React.createElement(GraphiQL, {
        key,
        fetcher,
        defaultQuery: config.defaultQuery,
        query: query || undefined,
        variables: config.defaultVariables || undefined,
        headers: headers ? JSON.stringify(headers, null, 2) : undefined,
        defaultEditorToolsVisibility: headers ? 'headers' : true,
        shouldPersistHeaders: false,
      }),
    );
  }
  select.addEventListener('change', () => {
    const preset = presets[Number(select.value)];
    note.textContent = preset ? 'Headers filled in below (Headers tab).' : '';
    render(preset ? preset.headers : null, 'preset-' + select.value, preset && preset.query);
  });
  render(null, 'initial');
})();
