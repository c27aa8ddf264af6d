"""The pieces of corpus/index/generate: one module per source, the file-list rules, the
snapshot writer and reader, and the figures. Standard library only."""
