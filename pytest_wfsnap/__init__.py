"""pytest-wfsnap: workflow engine with snapshot/restore, and its pytest plugin."""
