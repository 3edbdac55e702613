// npm run validate:solution [path/to/CustomizationsSolution.xsd] [zips…]: xmllint --schema on customizations.xml
// of the packed zips. The XSD defaults to SOLUTION_XSD, then ../shared/reference/dataverse-solution/xsd/9.0.0.2090-xmllint/.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validateCli } from "./pack/validate.ts";

process.exitCode = validateCli(resolve(dirname(fileURLToPath(import.meta.url)), ".."), process.argv.slice(2));
