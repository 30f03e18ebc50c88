#!/usr/bin/env python3
"""Serve frontend/dist like clp-server does for the SPA: files as they are, index.html for
any other path, so client-side routes such as /activate/verify load. For checking a frontend
build without the server:  python3 scripts/serve-dist.py [--port 8099] [--dir frontend/dist]
"""

import argparse
import functools
import http.server
import os


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with index.html as the fallback for unknown paths."""

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.exists(path):
            self.path = "/index.html"
        return super().send_head()

    def end_headers(self):
        # The CSP the real server sends; a violation shows up in the browser console.
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
        )
        super().end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--dir", default="frontend/dist")
    args = parser.parse_args()
    handler = functools.partial(SpaHandler, directory=args.dir)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {args.dir} at http://127.0.0.1:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
