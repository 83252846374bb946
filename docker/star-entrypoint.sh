#!/bin/sh
# First start: join the grid with the one-time token from the Agents tab ("Add Star" shows the hub,
# the CA pin and the token); later starts: serve with the identity saved in the state volume.
# ORBIT_PEERS: the Stars this one may push to, comma-separated host or host:port (e.g.
# "star-b:7450"), or "any"; written to [network] peers in star.toml at join (edit it there later).
set -eu
STATE_DIR=/var/lib/orbit-star
cd /orbit
if [ ! -f "$STATE_DIR/star.toml" ]; then
  : "${ORBIT_JOIN_TOKEN:?no star.toml yet: set ORBIT_JOIN_TOKEN (Agents tab → Add Star)}"
  : "${ORBIT_HUB:?set ORBIT_HUB to the Nucleus enrolment address, e.g. nucleus:7443}"
  : "${ORBIT_CA_PIN:?set ORBIT_CA_PIN to the sha256:… pin shown with the join command}"
  set --
  for peer in $(echo "${ORBIT_PEERS:-}" | tr ',' ' '); do set -- "$@" --peer "$peer"; done
  node scripts/star.mjs join --hub "$ORBIT_HUB" --ca-pin "$ORBIT_CA_PIN" --token "$ORBIT_JOIN_TOKEN" \
    --name "${ORBIT_STAR_NAME:-$(hostname)}" --state-dir "$STATE_DIR" \
    --data-listen "0.0.0.0:${ORBIT_DATA_PORT:-7450}" --advertise "${ORBIT_STAR_NAME:-$(hostname)}:${ORBIT_DATA_PORT:-7450}" \
    --allow "/data:rw" "$@"
fi
exec node scripts/star.mjs serve --config "$STATE_DIR/star.toml"
