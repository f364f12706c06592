// Entry point of the page: mounts the playground for the user named in ?user= (or, with none, the demo admin).
import { PlaygroundApi } from "./api.js";
import { mountPlayground } from "./app.js";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
// An empty ?user= counts as none: the server then picks the demo admin.
mountPlayground(root, new PlaygroundApi(), new URL(window.location.href).searchParams.get("user") || undefined);
