#!/bin/sh
# Exits with the code given as the first argument.
echo "exiting with $1" >&2
exit "$1"
