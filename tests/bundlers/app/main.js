// The bundler entry (Vite, webpack): bare imports of the package, as an application writes them.
import * as flexkit from "flexkit";
import { start } from "./checks.js";

start(document, flexkit, () => import("flexkit/sandbox"));
