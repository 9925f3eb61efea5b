#!/bin/sh
echo "complete-me ran: $*"
