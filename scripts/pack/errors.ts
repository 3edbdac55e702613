/** A packing failure that names the file at fault and why, so the admin or developer can fix that file. */
export class PackError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "PackError";
  }
}
