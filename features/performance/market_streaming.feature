@perf @performance @allure.label.epic:Performance
Feature: Dashboards streaming the market under load
  As the operator of the trading-floor screens
  I want every dashboard to get each market update promptly when hundreds are connected
  So that a busy session never leaves a screen behind the market

  Contract rule [perf-ws-latency]: with 500 market-channel clients, p99 delivery latency
  (upstream message to client receipt, throttle window excluded) < 100 ms.

  @severity:critical @rule:perf-ws-latency
  Scenario: 500 dashboards stream the market
    Given the tracker is ready for load
    When 500 dashboards stream the market for 60 seconds
    Then every dashboard receives market updates
    And the load stays within these limits:
      | measure              | limit        |
      | delivery latency p99 | under 100 ms |
      | failures             | under 1 %    |
