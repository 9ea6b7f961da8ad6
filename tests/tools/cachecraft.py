#!/usr/bin/python3
"""cachecraft.py FILE MODE: doctor a folio cache file so that its checksum
still matches, to prove that folio checks what it reads, not only the sum.

  meta modes (FILE is .folio-cache/meta): month (month 1000000), nulltag
  (a NULL tag), bodyoff (body offset and length that wrap around)
  manifest-escape (FILE is a manifest): paths leaving the tree

Prints "crafted MODE" once it changed something; exits 1 if it could not.
"""
import struct
import sys

INIT, K, MASK = 0xcbf29ce484222325, 0x9e3779b97f4a7c15, (1 << 64) - 1


def fnv(data):
    """hash64() of src/util/fsutil.c (little-endian host)."""
    h, n = INIT, len(data) // 8 * 8
    for i in range(0, n, 8):
        h = ((h ^ int.from_bytes(data[i:i + 8], 'little')) * K) & MASK
        h ^= h >> 32
    tail = data[n:]
    h = ((h ^ int.from_bytes(tail, 'little') ^ (len(tail) << 56)) * K) & MASK
    return h ^ (h >> 32)


def craft_meta(data, mode):
    body = data[:-8]
    if struct.unpack('<Q', data[-8:])[0] != fnv(body):
        sys.exit("cachecraft: the meta file's checksum does not match to begin with")
    p = body.index(b'\n') + 1
    out, done = bytearray(body[:p]), False
    while p < len(body):
        klen, = struct.unpack_from('<I', body, p)
        key = body[p + 4:p + 4 + klen]
        p += 4 + klen
        stamp = body[p:p + 32]
        p += 32
        alen, = struct.unpack_from('<I', body, p)
        p += 4
        art = bytearray(body[p:p + alen])
        p += alen
        if not done:
            q = 0
            for _ in range(4):          # title, headline, slug, date string
                n, = struct.unpack_from('<I', art, q)
                q += 4 + (0 if n == 0xffffffff else n)
            q += 8                      # date
            if mode == 'month':
                struct.pack_into('<I', art, q + 4, 1000000)
                done = True
            q += 12                     # year, month, day
            ntags, = struct.unpack_from('<I', art, q)
            if mode == 'nulltag' and ntags > 0:
                tl, = struct.unpack_from('<I', art, q + 4)
                art[q + 4:q + 8 + tl] = struct.pack('<I', 0xffffffff)
                done = True
            if mode == 'bodyoff':
                _, off, blen, _ = struct.unpack_from('<QQQQ', art, len(art) - 32)
                struct.pack_into('<QQ', art, len(art) - 24, (off - 4096) & MASK, blen + 4096)
                done = True
        out += struct.pack('<I', klen) + key + stamp + struct.pack('<I', len(art)) + art
    out += struct.pack('<Q', fnv(out))
    return out, done


def craft_manifest(data):
    text = data.decode()
    lines = text.split('\n')
    if lines[-1] != '' or lines[-2] != 'end' or not lines[-3].startswith('sum '):
        sys.exit("cachecraft: not a folio manifest")
    head = '\n'.join(lines[:-3]) + '\n'
    head += 'd 0 ../victim\n0000000000000000 1 1 ../victim.txt\n'
    return (head + 'sum %016x\nend\n' % fnv(head.encode())).encode(), True


def main():
    path, mode = sys.argv[1], sys.argv[2]
    data = open(path, 'rb').read()
    out, done = craft_manifest(data) if mode == 'manifest-escape' else craft_meta(data, mode)
    if not done:
        sys.exit("cachecraft: nothing to change for " + mode)
    open(path, 'wb').write(out)
    print("crafted", mode)


if __name__ == '__main__':
    main()
