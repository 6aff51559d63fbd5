"""Past one machine: WARC import and re-extraction as shard archives on Dask, merged into one.

Modules, in the order a run uses them:

- sources.py    what a run reads: paths, http(s) URLs, ``@FILE`` lists; a remote WARC streamed
- shards.py     one WARC -> one complete shard archive (``shards/<stem>.db``), on any worker
- engine.py     the Dask client: a LocalCluster on this machine or a scheduler's address
- run.py        `import-warc --engine dask`: a task per WARC, its progress (files done, records/s, ETA), the summary
- reextract.py  re-extraction over ranges of capture ids read from a snapshot
- merge.py      `scrape merge`: shards into an archive, resumable and idempotent (its SQL is the
                Store's: store_merge.py, and store_copy.py for the bulk copy, ids offset and remapped)
- archives.py   monthly archives together: search over several, the attach limit
- partition.py  `scrape crawl --shard I/N`: sources by registered domain, stable everywhere

Dask is an optional dependency (``pip install -e '.[dask]'``): only engine.py imports it, and
only when ``--engine dask`` is asked for; merge and partition need nothing beyond the archive.
"""
