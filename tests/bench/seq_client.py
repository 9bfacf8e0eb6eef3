#!/usr/bin/env python3
"""A plain sequential RCT Power client, one request in flight, for comparison with
`rcttop dump`: reads every non-history OID of assets/registry.csv once from HOST:PORT and
prints how long it took. Standard library only."""
import csv
import socket
import sys
import time


def crc16(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def escape(body: bytes) -> bytes:
    out = bytearray()
    for b in body:
        if b in (0x2B, 0x2D):
            out.append(0x2D)
        out.append(b)
    return bytes(out)


def read_frame(oid: int) -> bytes:
    body = bytes([0x01, 0x04]) + oid.to_bytes(4, "big")
    return b"+" + escape(body + crc16(body).to_bytes(2, "big"))


def answer_oid(buf: bytearray):
    """Returns (oid, bytes consumed) of the first complete frame in buf, or None."""
    start = buf.find(b"+")
    if start < 0:
        return None
    plain = bytearray()
    i = start + 1
    need = None
    while i < len(buf):
        b = buf[i]
        if b == 0x2D:
            if i + 1 >= len(buf):
                return None
            b = buf[i + 1]
            i += 1
        plain.append(b)
        i += 1
        if need is None and len(plain) >= 2:
            long = plain[0] in (0x06, 0x03)
            if long and len(plain) < 3:
                continue
            length = (plain[1] << 8 | plain[2]) if long else plain[1]
            need = (3 if long else 2) + length + 2
        if need is not None and len(plain) >= need:
            off = 3 if plain[0] in (0x06, 0x03) else 2
            return int.from_bytes(plain[off:off + 4], "big"), i
    return None


def main():
    host, port, registry = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(registry, newline="", encoding="utf-8") as f:
        oids = [int(r["oid"], 16) for r in csv.DictReader(f) if r["response_type"] not in ("timeseries", "event_table")]
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(2)
    start = time.monotonic()
    answered = 0
    buf = bytearray()
    for oid in oids:
        sock.sendall(read_frame(oid))
        while True:
            got = answer_oid(buf)
            if got:
                del buf[:got[1]]
                if got[0] == oid:
                    answered += 1
                    break
                continue
            try:
                chunk = sock.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            buf += chunk
    elapsed = time.monotonic() - start
    print(f"{answered} of {len(oids)} answered in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
