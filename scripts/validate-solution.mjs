// npm run validate:solution [path/to/CustomizationsSolution.xsd] [zips…]: well-formedness and the shape of
// real exports for every part of the packed zips (nothing outside the project needed); with an XSD (argument
// or SOLUTION_XSD) also xmllint --schema on customizations.xml. See solution/README.md.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validateCli } from "./pack/validate.ts";

process.exitCode = validateCli(resolve(dirname(fileURLToPath(import.meta.url)), ".."), process.argv.slice(2));
