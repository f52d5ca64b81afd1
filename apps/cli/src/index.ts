console.error('runcast: under construction');
process.exitCode = 1;
