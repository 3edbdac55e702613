import { PackError } from "./errors";

/** Dataverse reads a solution version as four whole numbers, each an Int32. */
const MAX_PART = 2147483647;

export interface StampedVersions {
  /** The control manifest's `version` (the package version as written: Dataverse compares it to replace the bundle). */
  control: string;
  /** solution.xml `<Version>`: major.minor.build.revision. */
  solution: string;
}

/**
 * The versions stamped into the packed files, from package.json's version. A three-part version gets
 * `.0` as its revision; anything that is not then four whole numbers is refused, because Dataverse
 * would refuse the import.
 */
export function stampVersions(version: unknown, file = "package.json"): StampedVersions {
  const hint = "use major.minor.patch such as 1.2.3 (packed as 1.2.3.0) or four whole numbers such as 1.2.3.4";
  if (typeof version !== "string" || version.trim() === "") throw new PackError(file, `no "version" to stamp into the solution; ${hint}`);
  if (!/^\d+(\.\d+)*$/.test(version)) {
    throw new PackError(file, `version "${version}" cannot be a Dataverse solution version (only whole numbers separated by dots; no pre-release or build tags); ${hint}`);
  }
  const parts = version.split(".");
  if (parts.length < 3 || parts.length > 4) {
    throw new PackError(file, `version "${version}" has ${parts.length} part${parts.length === 1 ? "" : "s"}; Dataverse needs four after stamping (major.minor.build.revision); ${hint}`);
  }
  const big = parts.find((p) => Number(p) > MAX_PART);
  if (big !== undefined) throw new PackError(file, `version "${version}": part ${big} is larger than Dataverse allows (${MAX_PART}); ${hint}`);
  const solution = parts.length === 3 ? `${version}.0` : version;
  return { control: version, solution };
}
