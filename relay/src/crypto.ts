import {
  X509Certificate,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  constants,
  type KeyObject,
} from "node:crypto";

/** `encryptedContent` of a change notification with resource data. */
export interface EncryptedContent {
  data: string;
  dataKey: string;
  dataSignature: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint?: string;
}

export type DecryptFailure = "certificate" | "signature" | "decrypt";

export class DecryptError extends Error {
  constructor(
    readonly reason: DecryptFailure,
    message: string,
  ) {
    super(message);
    this.name = "DecryptError";
  }
}

/** The port the notification pipeline decrypts through (a spy in tests). */
export interface Decryptor {
  decrypt(content: EncryptedContent): unknown;
}

/**
 * Decrypts Graph's resource data (concepts/change-notifications-with-resource-data.md, "Decrypting resource data"):
 * RSA-OAEP unwraps the one-time symmetric key from `dataKey`; HMAC-SHA256 of the still-encrypted `data` with that key
 * must equal `dataSignature` (checked before anything is decrypted); AES-CBC with PKCS7 padding and IV = the key's
 * first 16 bytes gives the resource JSON.
 */
export function createDecryptor(options: { privateKeyPem: string; certificateId: string }): Decryptor {
  const key: KeyObject = createPrivateKey(options.privateKeyPem);
  const expectedId = Buffer.from(options.certificateId);
  return {
    decrypt(content) {
      if (
        !content ||
        typeof content.data !== "string" ||
        typeof content.dataKey !== "string" ||
        typeof content.dataSignature !== "string"
      ) {
        throw new DecryptError("decrypt", "encryptedContent is incomplete");
      }
      const id = Buffer.from(String(content.encryptionCertificateId ?? ""));
      if (id.length !== expectedId.length || !timingSafeEqual(id, expectedId)) {
        throw new DecryptError("certificate", "encryptionCertificateId is not this relay's certificate");
      }
      let symmetricKey: Buffer;
      try {
        // OAEP with SHA-1, the padding .NET's RSA Decrypt(fOAEP: true) and Node's default use.
        symmetricKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from(content.dataKey, "base64"));
      } catch {
        throw new DecryptError("decrypt", "dataKey can't be decrypted with the private key");
      }
      const encrypted = Buffer.from(content.data, "base64");
      const actual = createHmac("sha256", symmetricKey).update(encrypted).digest();
      const expected = Buffer.from(content.dataSignature, "base64");
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        throw new DecryptError("signature", "dataSignature doesn't match the data");
      }
      if (symmetricKey.length !== 32) throw new DecryptError("decrypt", "symmetric key is not 256 bits");
      try {
        const decipher = createDecipheriv("aes-256-cbc", symmetricKey, symmetricKey.subarray(0, 16));
        const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]).toString("utf8");
        return JSON.parse(plain) as unknown;
      } catch {
        throw new DecryptError("decrypt", "data can't be decrypted");
      }
    },
  };
}

/** The subscription's `encryptionCertificate`: the X.509 certificate, DER, base64 (public key only). */
export function encryptionCertificateFromPem(certPem: string): string {
  return Buffer.from(new X509Certificate(certPem).raw).toString("base64");
}

/** The certificate's SHA-1 thumbprint as Graph writes it (upper-case hex). */
export function certificateThumbprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint.replace(/:/g, "").toUpperCase();
}

/**
 * What Graph does to resource data before posting it (the reverse of {@link createDecryptor}); for tests and the
 * local simulator.
 */
export function encryptResourceData(resource: unknown, certPem: string, certificateId: string): EncryptedContent {
  const cert = new X509Certificate(certPem);
  const symmetricKey = randomBytes(32);
  const cipher = createCipheriv("aes-256-cbc", symmetricKey, symmetricKey.subarray(0, 16));
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(resource), "utf8"), cipher.final()]);
  return {
    data: encrypted.toString("base64"),
    dataKey: publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, symmetricKey).toString("base64"),
    dataSignature: createHmac("sha256", symmetricKey).update(encrypted).digest("base64"),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: certificateThumbprint(certPem),
  };
}
