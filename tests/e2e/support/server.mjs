// A static file server for the built portal, like the static hosts it is deployed to.
//   mode "spa":        unknown paths are answered with index.html (200), as Netlify/Vercel rewrites do;
//   mode "static-404": unknown paths are answered with 404.html and status 404, as GitHub Pages does.
// Optional extra headers (e.g. a Content-Security-Policy) are added to every response.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export async function serveDist({ dist = process.env.FLEXKIT_DIST, mode = "spa", headers = {} } = {}) {
  if (!dist) throw new Error("FLEXKIT_DIST is not set: run through `cargo xtask test`");
  const root = normalize(dist);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const path = normalize(join(root, decodeURIComponent(url.pathname)));
      let file = path.startsWith(root + sep) || path === root ? path : null;
      let status = 200;
      if (file && (await isFile(join(file, "index.html")))) file = join(file, "index.html");
      if (!file || !(await isFile(file))) {
        if (mode === "static-404") {
          file = join(root, "404.html");
          status = 404;
        } else {
          file = join(root, "index.html");
        }
      }
      const body = await readFile(file);
      res.writeHead(status, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...headers,
      });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
