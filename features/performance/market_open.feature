@perf @performance @allure.label.epic:Performance
Feature: The market-open burst
  As the operator of the trading-floor screens
  I want the tracker to take the rush of screens that open with the market
  So that nobody starts the session with a blank or late screen

  The limits of the burst are the team's, above the steady-state figures of the contract's
  [perf-ws-latency] and [perf-rest-latency]: screens arrive all at once, streaming and polling
  together. No contract rule sets them, so it names none.

  @severity:critical
  Scenario: 800 screens arrive within 30 seconds of the open
    Given the tracker is ready for load
    When 800 screens arrive within 30 seconds of the open and stay for 60 seconds
    Then every dashboard receives market updates
    And the load stays within these limits:
      | measure              | limit          |
      | delivery latency p99 | under 250 ms   |
      | snapshot p95         | under 500 ms   |
      | foreign detail p95   | under 500 ms   |
      | connect time p95     | under 1,000 ms |
      | failures             | under 1 %      |
