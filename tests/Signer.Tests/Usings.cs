global using Provenance.Testing;
