@trading_flow @allure.label.epic:TradingFlow @rule:shapes
Feature: Every answer and every message in the contract's shapes
  As the developer of a client of the tracker
  I want every REST answer and every WebSocket message in the shapes the contract gives
  So that my client reads any of them without guessing at fields or types

  Contract rule [shapes]: every key the contract lists is present, extra keys are allowed, and
  the types are the contract's (numbers, whole volumes, ISO-8601 times, booleans); a failure
  names the field at fault.

  Background:
    Given a trading day has left volume, prices, foreign flow, indices, futures and alerts behind

  Rule: Every REST answer has its shape

    @severity:critical @rule:rest-snapshot
    Example: The market snapshot
      When an API caller asks for the market snapshot
      Then the answer has the contract's shape

    @severity:critical @rule:rest-foreign-detail
    Example: The foreign detail
      When an API caller asks for foreign detail
      Then the answer has the contract's shape

    @severity:critical @rule:rest-volume-stats
    Example: The volume statistics
      When an API caller asks for volume stats
      Then the answer has the contract's shape

    @severity:normal @rule:rest-components
    Example: The VN30 components
      When an API caller asks for VN30 components
      Then the answer has the contract's shape

    @severity:normal
    Scenario Outline: The answer to a request for <answer>
      When an API caller asks for <answer>
      Then the answer has the contract's shape

      Examples:
        | answer           |
        | basis trend      |
        | alerts           |
        | the health check |

  Rule: Every WebSocket message has the shape of its channel

    @severity:critical
    Example: A dashboard's market snapshots
      Given a dashboard is connected
      When the exchange reports a trade of 100 VNM at 80.5
      Then every message the dashboard received has the contract's shape

    @severity:critical
    Example: A foreign-flow screen's foreign summaries
      Given a foreign-flow screen is connected
      When the exchange reports foreign investors in FPT have bought 60,000 shares so far
      Then every message the foreign-flow screen received has the contract's shape

    @severity:critical
    Example: An index screen's indices
      Given an index screen is connected
      When the exchange reports VN30 at 1251.0 with 16 advancing and 10 declining stocks
      Then every message the index screen received has the contract's shape

    @severity:critical
    Example: An alert screen's alerts
      Given an alert screen is connected
      When the exchange reports a trade of 10 VN30F2412 at 1245.0
      Then every message the alert screen received has the contract's shape

    @clock @real_time_fallback @severity:normal
    Example: The status messages every screen is sent
      Given a dashboard is connected
      When the exchange feed is lost for a moment
      Then the dashboard is told the feed is connected again
      And every message the dashboard received has the contract's shape
