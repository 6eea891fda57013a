"""Archive: output folders that are never lost and can be defended years later.

Takes the writers of :mod:`aandacht.present` and the config. Records what was run, on
which inputs (SHA-256), with which versions and when (``manifest``); writes a folder
atomically, never overwriting an earlier one (``output``); and recomputes a folder from its
manifest to show it is unchanged (``verify``). Hands on the folder on disk.
"""
