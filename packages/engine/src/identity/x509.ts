// The only door to @peculiar/x509 in the engine: its ASN.1 decorators need the Reflect metadata API
// loaded first, and ES modules evaluate imports in order, so every identity module imports from here.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// WebCrypto is global in Node 20 and Deno; pin it so the library never looks for another provider.
x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
