//! Integration tests for rudder-chart: loading against Helm. Every
//! expectation comes from `scripts/oracle/gen_chart_cases.py` (see
//! `tests/data/SOURCE`).

mod loading;
