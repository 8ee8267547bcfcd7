"""Looking at what was written: ``glb_reader`` reads a GLB back, ``preview`` renders it headless to a PNG."""
