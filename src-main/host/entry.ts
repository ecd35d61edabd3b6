// Browser-mode host entry (replaced by the foundation work).
process.stderr.write('browser-mode host not built yet\n');
process.exitCode = 1;
