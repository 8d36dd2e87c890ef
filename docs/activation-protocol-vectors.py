#!/usr/bin/env python3
"""Writes activation-protocol-vectors.json (version 2): an independent implementation of
docs/activation-protocol.md (Python standard library only). The Java test in
activation-protocol checks the Java code against the file it writes; the token app checks it
from JavaScript. Run: python3 docs/activation-protocol-vectors.py > docs/activation-protocol-vectors.json
"""
import base64, hashlib, hmac, json, struct
from datetime import datetime, timedelta, timezone

N = int("""
AC6BDB41 324A9A9B F166DE5E 1389582F AF72B665 1987EE07 FC319294 3DB56050 A37329CB B4A099ED
8193E075 7767A13D D52312AB 4B03310D CD7F48A9 DA04FD50 E8083969 EDB767B0 CF609517 9A163AB3
661A05FB D5FAAAE8 2918A996 2F0B93B8 55F97993 EC975EEA A80D740A DBF4FF74 7359D041 D5C33EA7
1D281E44 6B14773B CA97B43A 23FB8016 76BD207A 436C6481 F1D2B907 8717461A 5B9D32E6 88F87748
544523B5 24B0D57D 5EA77A27 75D2ECFA 032CFBDB F52FB378 61602790 04E57AE6 AF874E73 03CE5329
9CCC041C 7BC308D8 2A5698F3 A8D0C382 71AE35F8 E9DBFBB6 94B5C803 D89F7AE4 35DE236D 525F5475
9B65E372 FCD68EF2 0FA7111F 9E4AFF73""".replace(" ", "").replace("\n", ""), 16)
g = 2
L = 256

def H(*parts): return hashlib.sha256(b"".join(parts)).digest()
def PAD(n): return n.to_bytes(L, "big")
def i(b): return int.from_bytes(b, "big")
def hx(b): return b.hex()

def hkdf(ikm, salt, info, length):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, t, n = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([n]), hashlib.sha256).digest()
        out += t; n += 1
    return out[:length]

def totp(seed, algorithm, digits, period, unix):
    step = unix // period
    mac = hmac.new(seed, struct.pack(">Q", step), {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}[algorithm]).digest()
    off = mac[-1] & 0x0F
    bin_code = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return step, str(bin_code % (10 ** digits)).zfill(digits)

SEED_BYTES = {"SHA1": 20, "SHA256": 32, "SHA512": 64}

def LP(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data

def mac(key, *fields):
    return hmac.new(key, b"".join(LP(f) for f in fields), hashlib.sha256).hexdigest()

def vector(name, service_id, user_id, password, salt, a, b, algorithm, digits, period, times, wrong_password,
           service_name, server_time, nonce, state, status_time):
    I = f"{service_id}:{user_id}".encode("ascii")
    x = i(H(salt, H(I, b":", password.encode("ascii"))))
    v = pow(g, x, N)
    k = i(H(PAD(N), PAD(g)))
    A = pow(g, i(a), N)
    B = (k * v + pow(g, i(b), N)) % N
    u = i(H(PAD(A), PAD(B)))
    S_client = pow((B - k * pow(g, x, N)) % N, i(a) + u * x, N)
    S_server = pow(A * pow(v, u, N) % N, i(b), N)
    assert S_client == S_server
    K = H(PAD(S_client))
    hN, hg = H(PAD(N)), H(PAD(g))
    xor = bytes(p ^ q for p, q in zip(hN, hg))
    M1 = H(xor, H(I), salt, PAD(A), PAD(B), K)
    M2 = H(PAD(A), M1, K)
    canonical = f"{algorithm}:{digits}:{period}"
    hkdf_salt = H(H(I), salt, PAD(A), PAD(B))
    info = f"kagi-activation-1|{service_id}:{user_id}|{canonical}".encode("ascii")
    seed = hkdf(K, hkdf_salt, info, SEED_BYTES[algorithm])
    # The client's M1 with a wrong password: the server (which expects M1 above) refuses it.
    xw = i(H(salt, H(I, b":", wrong_password.encode("ascii"))))
    Sw = pow((B - k * pow(g, xw, N)) % N, i(a) + u * xw, N)
    M1w = H(xor, H(I), salt, PAD(A), PAD(B), H(PAD(Sw)))
    # Version 2: keys derived from K beside the seed, and the answers they authenticate.
    I_text = I.decode("ascii")
    finish_key = hkdf(K, hkdf_salt, f"kagi-activation-2|finish|{I_text}".encode("ascii"), 32)
    status_key = hkdf(K, hkdf_salt, f"kagi-activation-2|status|{I_text}".encode("ascii"), 32)
    finish_mac = mac(finish_key, "kagi-activation-2/finish", service_id, user_id, service_name, canonical, server_time)
    # The same answer with serverTime moved by a day: its MAC differs, so a token refuses it.
    moved_at = datetime.fromisoformat(server_time.replace("Z", "+00:00")) + timedelta(days=1)
    moved = moved_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moved_at.microsecond // 1000:03d}Z"
    proof = mac(status_key, "kagi-activation-2/status-request", service_id, user_id, nonce)
    status_mac = mac(status_key, "kagi-activation-2/status-answer", service_id, user_id, nonce, state, status_time)
    codes = []
    for t in times:
        unix = int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp())
        step, code = totp(seed, algorithm, digits, period, unix)
        codes.append({"time": t, "step": step, "code": code})
    return {
        "name": name,
        "input": {
            "serviceId": service_id, "userId": user_id, "password": password,
            "salt": hx(salt), "a": hx(a), "b": hx(b),
            "tokenParameters": {"algorithm": algorithm, "digits": digits, "period": period},
        },
        "identity": I.decode("ascii"),
        "x": format(x, "064x"), "v": hx(PAD(v)), "k": format(k, "064x"),
        "A": hx(PAD(A)), "B": hx(PAD(B)), "u": format(u, "064x"),
        "S": hx(PAD(S_client)), "K": hx(K), "M1": hx(M1), "M2": hx(M2),
        "hkdfSalt": hx(hkdf_salt), "hkdfInfo": info.decode("ascii"),
        "seed": hx(seed), "seedBase32": base64.b32encode(seed).decode("ascii").rstrip("="),
        "codes": codes,
        "wrongPassword": {"password": wrong_password, "M1": hx(M1w)},
        "finishKey": hx(finish_key), "statusKey": hx(status_key),
        "finishAnswer": {"serviceId": service_id, "userId": user_id, "serviceName": service_name,
                         "tokenParameters": {"algorithm": algorithm, "digits": digits, "period": period},
                         "serverTime": server_time, "MAC": finish_mac,
                         "movedServerTime": moved,
                         "macOfMovedServerTime": mac(finish_key, "kagi-activation-2/finish", service_id, user_id,
                                                     service_name, canonical, moved)},
        "status": {"nonce": nonce, "proof": proof, "state": state, "serverTime": status_time, "MAC": status_mac},
    }

def fixed(label):
    return H(label.encode("ascii"))

vectors = [
    vector("default policy, 8-digit password", "12345678", "012345", "12345678",
           bytes(range(32)), fixed("kagi test vector 1 a"), fixed("kagi test vector 1 b"),
           "SHA256", 6, 60, ["2026-11-24T09:30:15Z", "2026-11-24T09:31:00Z", "2026-11-24T09:31:59Z"], "12345679",
           "かぎ銀行ビジネスWeb", "2026-11-24T09:30:16.250Z", "000102030405060708090a0b0c0d0e0f", "active",
           "2026-11-25T08:00:00.000Z"),
    vector("SHA1, 30 s, 4-digit password", "87654321", "000042", "0042",
           fixed("kagi test vector 2 salt"), fixed("kagi test vector 2 a"), fixed("kagi test vector 2 b"),
           "SHA1", 6, 30, ["2026-01-01T00:00:00Z", "2026-01-01T00:00:29Z", "2026-01-01T00:00:30Z"], "0043",
           "Test Bank", "2026-01-01T00:00:00.007Z", "ffeeddccbbaa99887766554433221100", "locked",
           "2026-01-02T23:59:59.999Z"),
    vector("SHA512, 8 digits", "10000001", "999999", "98765432",
           fixed("kagi test vector 3 salt"), fixed("kagi test vector 3 a"), fixed("kagi test vector 3 b"),
           "SHA512", 8, 60, ["2030-06-01T12:00:00Z"], "98765431",
           "かぎ銀行 コンソール", "2030-06-01T12:00:00.000Z", "0123456789abcdef0123456789abcdef", "revoked",
           "2030-06-03T01:02:03.456Z"),
]

print(json.dumps({
    "protocol": "kagi-activation-2",
    "description": "Test vectors of docs/activation-protocol.md. Hex is lowercase; A, B, S and v are PAD()ed to 256 bytes.",
    "group": {"N": format(N, "0512x"), "g": g, "hash": "SHA-256"},
    "vectors": vectors,
}, indent=2, ensure_ascii=False))
