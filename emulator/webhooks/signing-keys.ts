import { generateKeyPairSync, sign } from "node:crypto";

/** The application's Ed25519 key pair: Discord signs webhook events with the private half. */
export interface SigningKeys {
  readonly publicKeyHex: string;
  /** Hex signature over timestamp + body, the X-Signature-Ed25519 value. */
  readonly sign: (timestamp: string, body: string) => string;
}

export function generateSigningKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // The raw 32-byte key is the JWK "x" member; Discord shows it hex-encoded.
  const rawPublicKey = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  return {
    publicKeyHex: rawPublicKey.toString("hex"),
    sign: (timestamp, body) => sign(null, Buffer.from(timestamp + body), privateKey).toString("hex"),
  };
}
