# Sourced by ./run.sh and ./provenance: defaults for the single-machine set-up.
# Signing keys are encrypted at rest with PROVENANCE_KEYS_PASSPHRASE (or Provenance__Keys__Passphrase). When
# neither is set, a random passphrase is generated once into .data/keys.passphrase (mode 0600) so the default
# set-up works out of the box; a production deployment supplies its own from a secret store.
if [ -z "${PROVENANCE_KEYS_PASSPHRASE:-}" ] && [ -z "${Provenance__Keys__Passphrase:-}" ]; then
  _pp_dir="${Provenance__DataDirectory:-.data}"
  _pp_file="$_pp_dir/keys.passphrase"
  if [ ! -f "$_pp_file" ]; then
    mkdir -p "$_pp_dir"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' > "$_pp_file")
  fi
  PROVENANCE_KEYS_PASSPHRASE=$(cat "$_pp_file")
  export PROVENANCE_KEYS_PASSPHRASE
  unset _pp_dir _pp_file
fi
