// Entry point of the page: mounts the playground for the user named in ?user= (or the first demo user).
import { PlaygroundApi } from "./api.js";
import { mountPlayground } from "./app.js";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
mountPlayground(root, new PlaygroundApi(), new URL(window.location.href).searchParams.get("user") ?? undefined);
