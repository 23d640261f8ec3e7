"""What every stage needs to handle the untrusted input it is given, safely.

The scanned tree is untrusted (CI scans fork pull requests), and so are the packs,
configuration and baselines it may name. Reading a file never follows a link out of the
tree nor waits on a FIFO (`files`); a pack, a baseline or a configuration file is read with
a size cap (`bounded_read`); YAML is walked with one nesting limit (`yaml_events`); text
taken from a file is printed with its control characters replaced, and an error quotes at
most a short excerpt of it (`words`). Nothing here imports another part of ftscan.
"""
