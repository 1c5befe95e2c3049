// Render markdown as JupyterLab does: with the `marked` module JupyterLab itself ships (its webpack chunk,
// loaded as it is), with the options its markedparser-extension sets (gfm). Reads a JSON list of markdown
// texts on stdin, writes the JSON list of their HTML on stdout.
//   node jupyterlab_markdown.cjs CHUNK_FILE MODULE_ID < texts.json
"use strict";
const [chunkFile, moduleId] = process.argv.slice(2);
globalThis.self = globalThis;
require(require("path").resolve(chunkFile));
const chunks = [...(self.rspackChunk_jupyterlab_application_top || []),
                ...(self.webpackChunk_jupyterlab_application_top || [])];
const factory = chunks.map(chunk => chunk[1][moduleId]).find(Boolean);
if (!factory) { console.error(`no module ${moduleId} in ${chunkFile}`); process.exit(2); }
const loaded = { exports: {} };
const require_ = {
  r: target => Object.defineProperty(target, "__esModule", { value: true }),
  d: (target, getters) => { for (const name in getters) Object.defineProperty(target, name, { enumerable: true, get: getters[name] }); },
};
factory(loaded, loaded.exports, require_);
const { Marked } = loaded.exports;
const marked = new Marked({ gfm: true });
let input = "";
process.stdin.on("data", part => { input += part; });
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(text => marked.parse(text))));
});
