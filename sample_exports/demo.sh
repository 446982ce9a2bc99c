#!/usr/bin/env bash
# `make demo`: the headteacher's workflow on the fictional sample exports.
# Uses its own home under the repository (.demo-home, git-ignored), never the user's register.
set -euo pipefail
cd "$(dirname "$0")/.."
CR="${CHAT_REVIEW:-.venv/bin/chat-review}"
HOME_DIR="$PWD/.demo-home"
OUT="$PWD/demo-output"
rm -rf "$HOME_DIR" "$OUT"
mkdir -p "$OUT"
cr() { "$CR" --home "$HOME_DIR" "$@"; }

GROUP="sample_exports/class-group-android.txt"
DIRECT="sample_exports/WhatsApp Chat - Tom Aldridge.zip"

echo "== 1. Record each parent's consent (the token is the last line)"
group_token=$(cr consent grant "$GROUP" --parent "Hannah Whitlock" \
  --purpose "Concerns raised about messages naming the class teacher" \
  --recorded-by "Ms R. Patel (Headteacher)" --evidence "Declaration form PD-2026-031" | tail -n 1)
direct_token=$(cr consent grant "$DIRECT" --parent "Tom Aldridge" \
  --purpose "Out-of-hours messages to the class teacher" \
  --recorded-by "Ms R. Patel (Headteacher)" --evidence "Declaration form PD-2026-032" | tail -n 1)
cr consent list

echo
echo "== 2. The message table of the group chat (first lines)"
cr messages "$GROUP" --token "$group_token" --output "$OUT/group-messages.csv"
head -n 5 "$OUT/group-messages.csv"

echo
echo "== 3. Analyse both chats together and write the reports"
cr analyse --chat "$GROUP" "$group_token" --chat "$DIRECT" "$direct_token" \
  --config sample_exports/chat-review.toml \
  --json "$OUT/summary.json" --png "$OUT/summary.png" --pdf "$OUT/summary.pdf"

echo
echo "== 4. The class teacher's view of out-of-hours contact (names pseudonymised)"
cr analyse --chat "$GROUP" "$group_token" --chat "$DIRECT" "$direct_token" \
  --config sample_exports/chat-review.toml --staff "Mrs Okafor" --pseudonymise --quiet \
  --png "$OUT/staff-okafor.png" --pdf "$OUT/staff-okafor.pdf"

echo
echo "== 5. Check the audit trail"
cr audit verify
echo
echo "Reports written to:"
ls -1 "$OUT" | sed "s|^|  $OUT/|"
