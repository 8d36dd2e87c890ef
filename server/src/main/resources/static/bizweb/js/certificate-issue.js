// 電子証明書発行: the key pair is made here by WebCrypto (ECDSA P-256) and never leaves the PC; PKI.js
// builds the PKCS#10 request Kagi signs, and then the PKCS#12 file (key and certificate under a password the
// user chooses) that the browser or the operating system imports. An ES module: PKI.js and its dependencies are
// fetched from the npm registry by the Maven build (server/pom.xml, certificates-js-vendor) into ./vendor/.
import * as asn1js from "./vendor/asn1js/build/index.es.js";
import * as pkijs from "./vendor/pkijs/build/index.es.js";

const OID_COMMON_NAME = "2.5.4.3";
const OID_CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const OID_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2";
const OID_LOCAL_KEY_ID = "1.2.840.113549.1.9.21";
const OID_FRIENDLY_NAME = "1.2.840.113549.1.9.20";
const PBE = { name: "AES-CBC", length: 256 };
const ITERATIONS = 100000;

function pem(label, der) {
  const bytes = new Uint8Array(der);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  const lines = btoa(binary).match(/.{1,64}/g).join("\n");
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

function der(pemText) {
  const base64 = pemText.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** A new key pair (extractable: it goes into the PKCS#12 file, which is the only copy) and its PKCS#10 request. */
export async function makeRequest(loginId) {
  const algorithm = { name: "ECDSA", namedCurve: "P-256" };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const request = new pkijs.CertificationRequest();
  request.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({
    type: OID_COMMON_NAME, value: new asn1js.Utf8String({ value: loginId })
  }));
  await request.subjectPublicKeyInfo.importKey(keys.publicKey);
  await request.sign(keys.privateKey, "SHA-256");
  return { keys, csr: pem("CERTIFICATE REQUEST", request.toSchema().toBER(false)) };
}

function attributes(localKeyId, name) {
  return [
    new pkijs.Attribute({ type: OID_LOCAL_KEY_ID, values: [new asn1js.OctetString({ valueHex: localKeyId })] }),
    new pkijs.Attribute({ type: OID_FRIENDLY_NAME, values: [new asn1js.BmpString({ value: name })] })
  ];
}

/** The PKCS#12 file: the private key (shrouded) and the certificate with the bank's CA, under {@code password}. */
export async function makePkcs12(privateKey, certificatePem, chainPems, password, name) {
  const passwordBytes = new TextEncoder().encode(password).buffer;
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", privateKey);
  const keyInfo = new pkijs.PrivateKeyInfo({ schema: asn1js.fromBER(pkcs8).result });
  const certificate = pkijs.Certificate.fromBER(der(certificatePem));
  const localKeyId = await crypto.subtle.digest("SHA-256", certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  const certBags = [new pkijs.SafeBag({
    bagId: OID_CERT_BAG,
    bagValue: new pkijs.CertBag({ parsedValue: certificate }),
    bagAttributes: attributes(localKeyId, name)
  })];
  for (const chainPem of chainPems) {
    certBags.push(new pkijs.SafeBag({
      bagId: OID_CERT_BAG,
      bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(der(chainPem)) })
    }));
  }
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            {
              privacyMode: 0,
              value: new pkijs.SafeContents({
                safeBags: [new pkijs.SafeBag({
                  bagId: OID_SHROUDED_KEY_BAG,
                  bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo }),
                  bagAttributes: attributes(localKeyId, name)
                })]
              })
            },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) }
          ]
        }
      })
    }
  });
  const contents = pfx.parsedValue.authenticatedSafe.parsedValue.safeContents;
  await contents[0].value.safeBags[0].bagValue.makeInternalValues({
    password: passwordBytes, contentEncryptionAlgorithm: PBE, hmacHashAlgorithm: "SHA-256", iterationCount: ITERATIONS
  });
  await pfx.parsedValue.authenticatedSafe.makeInternalValues({
    safeContents: [{}, {
      password: passwordBytes, contentEncryptionAlgorithm: PBE, hmacHashAlgorithm: "SHA-256", iterationCount: ITERATIONS
    }]
  });
  await pfx.makeInternalValues({
    password: passwordBytes, iterations: ITERATIONS, pbkdf2HashAlgorithm: "SHA-256", hmacHashAlgorithm: "SHA-256"
  });
  return pfx.toSchema().toBER(false);
}

function show(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

async function issue(form, status, done) {
  const messages = form.dataset;
  const password = form.querySelector("#p12Password").value;
  if (password.length < 8 || password !== form.querySelector("#p12PasswordAgain").value) {
    show(status, password.length < 8 ? messages.passwordShort : messages.passwordDiffers);
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  show(status, messages.working);
  try {
    const loginId = form.elements.loginId.value;
    const { keys, csr } = await makeRequest(loginId);
    const body = new URLSearchParams(new FormData(form));
    body.delete("p12Password");
    body.delete("p12PasswordAgain");
    body.set("csr", csr);
    const response = await fetch(form.action, {
      method: "POST", body, credentials: "same-origin", headers: { "Accept": "application/json" }
    });
    const answer = await response.json();
    if (answer.status !== "issued") {
      if (answer.formToken) form.elements.transactionToken.value = answer.formToken;
      show(status, answer.message || messages.failed);
      button.disabled = !answer.formToken;
      return;
    }
    const p12 = await makePkcs12(keys.privateKey, answer.certificate, answer.chain, password, answer.friendlyName);
    const link = done.querySelector("#p12Download");
    link.href = URL.createObjectURL(new Blob([p12], { type: "application/x-pkcs12" }));
    link.download = answer.fileName;
    done.querySelector("#issuedSerial").textContent = answer.serial;
    done.querySelector("#issuedNotAfter").textContent = answer.notAfter;
    form.hidden = true;
    const lead = document.getElementById("certificate-sign-lead");
    if (lead) lead.hidden = true;
    show(status, "");
    done.hidden = false;
  } catch (error) {
    show(status, messages.failed + " (" + (error && error.message ? error.message : error) + ")");
    button.disabled = false;
  }
}

function setUp() {
  const form = document.getElementById("certificate-sign");
  if (!form) return;
  const status = document.getElementById("certificate-status");
  const done = document.getElementById("certificate-done");
  if (!window.crypto || !crypto.subtle) {
    show(status, form.dataset.noWebCrypto);
    form.querySelector("button[type=submit]").disabled = true;
    return;
  }
  form.addEventListener("submit", event => {
    event.preventDefault();
    issue(form, status, done);
  });
  // The button stays disabled until this module and PKI.js have loaded: sent without them, the form
  // would carry no request to sign.
  form.querySelector("button[type=submit]").disabled = false;
}

// A module runs after the document is parsed (it is deferred), so the form is there.
setUp();
