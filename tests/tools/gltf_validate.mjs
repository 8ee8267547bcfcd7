// Validate one glTF/GLB file with the Khronos glTF-Validator and print its report as JSON.
//
// usage: node gltf_validate.mjs <validator-package-dir> <file>
// Exit status: 0 when a report was printed (whatever it says), 2 when validation could not run.
// External resources are refused on purpose: a GLB we ship must be self-contained.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [packageDir, file] = process.argv.slice(2);
if (!packageDir || !file) {
  console.error("usage: node gltf_validate.mjs <validator-package-dir> <file>");
  process.exit(2);
}

let validator;
try {
  validator = createRequire(import.meta.url)(path.resolve(packageDir));
} catch (err) {
  console.error(`cannot load gltf-validator from ${packageDir}: ${err.message}`);
  process.exit(2);
}

try {
  const report = await validator.validateBytes(new Uint8Array(readFileSync(file)), {
    uri: path.basename(file),
    maxIssues: 0, // report every issue
    writeTimestamp: false,
    externalResourceFunction: (uri) =>
      Promise.reject(`external resource ${uri} refused: assets must be self-contained`),
  });
  process.stdout.write(JSON.stringify(report) + "\n");
} catch (err) {
  console.error(`gltf-validator could not validate ${file}: ${err}`);
  process.exit(2);
}
