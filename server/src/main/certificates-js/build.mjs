// Bundles issue.js with PKI.js for the browser (run by the Maven build after npm ci): node build.mjs <outfile>
import { build } from "esbuild";

await build({
  entryPoints: ["issue.js"],
  bundle: true,
  format: "iife",
  minify: true,
  legalComments: "linked",
  target: "es2020",
  outfile: process.argv[2]
});
