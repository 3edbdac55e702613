import { X509Certificate, generateKeyPairSync } from "node:crypto";
import { createDecryptor, encryptResourceData, encryptionCertificateFromPem, DecryptError } from "../src/crypto.js";
import { CERT_ID, testCertificate } from "./fixtures.js";

const message = { id: "1700000000000", chatId: "19:abc@thread.v2", body: { contentType: "html", content: "<p>hi</p>" } };

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DecryptError ? error.reason : "other";
  }
  return undefined;
}

describe("resource data decryption", () => {
  it("decrypts what Graph encrypts with the subscription's certificate", async () => {
    const { cert, key } = await testCertificate();
    const content = encryptResourceData(message, cert, CERT_ID);
    expect(createDecryptor({ privateKeyPem: key, certificateId: CERT_ID }).decrypt(content)).toEqual(message);
  });

  it("rejects tampered data and a tampered signature before decrypting", async () => {
    const { cert, key } = await testCertificate();
    const decryptor = createDecryptor({ privateKeyPem: key, certificateId: CERT_ID });
    const content = encryptResourceData(message, cert, CERT_ID);
    const data = Buffer.from(content.data, "base64");
    data[0] ^= 1;
    expect(reason(() => decryptor.decrypt({ ...content, data: data.toString("base64") }))).toBe("signature");
    const signature = Buffer.from(content.dataSignature, "base64");
    signature[5] ^= 1;
    expect(reason(() => decryptor.decrypt({ ...content, dataSignature: signature.toString("base64") }))).toBe("signature");
    expect(reason(() => decryptor.decrypt({ ...content, dataSignature: "" }))).toBe("signature");
  });

  it("rejects another certificate id and a key encrypted for another key pair", async () => {
    const { cert, key } = await testCertificate();
    const decryptor = createDecryptor({ privateKeyPem: key, certificateId: CERT_ID });
    expect(reason(() => decryptor.decrypt(encryptResourceData(message, cert, "other-cert")))).toBe("certificate");
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const foreign = createDecryptor({ privateKeyPem: other, certificateId: CERT_ID });
    expect(reason(() => foreign.decrypt(encryptResourceData(message, cert, CERT_ID)))).toBe("decrypt");
  });

  it("gives the subscription the certificate as base64 DER", async () => {
    const { cert } = await testCertificate();
    const der = Buffer.from(encryptionCertificateFromPem(cert), "base64");
    expect(new X509Certificate(der).fingerprint256).toBe(new X509Certificate(cert).fingerprint256);
    expect(encryptionCertificateFromPem(cert)).not.toMatch(/BEGIN/);
  });
});
