// Placeholder entry point; the command-line front end lands with the node.
print("sequencer: not built yet")
