"""Rule packs: YAML files that encode the deadlines as data, and what the stages take from them.

`load` reads, validates and caches the packs into `ftscan.types` values (its error messages
come from `schema_errors`; `limits` caps what a pack from the scanned tree may cost;
`regex` runs a pack's patterns on RE2). `needles` derives what the scanners look for
(`ScanPatterns`), and `globs` matches the packs' call and value globs for the scanners and
the matcher. The packs ftscan ships are the top-level `rules/` directory of a checkout
(`ftscan/rules/packs/` once installed).
"""
