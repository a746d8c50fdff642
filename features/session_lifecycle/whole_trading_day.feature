@session_lifecycle @soak @slow @clock @allure.label.epic:SessionLifecycle @rule:soak
Feature: A whole trading day
  As an operator
  I want the tracker to run from one opening auction to the next without a restart
  So that the screens of the afternoon can be trusted as much as those of the morning

  Contract rule [soak]: a tracker running for hours keeps one stream connection, counts every
  share once, does not grow in memory at a steady message rate, sends heartbeats on time and
  renews its access token before it expires (less than an hour left), and resets at 15:05.
  The clock is moved ahead from outside between the phases, so the day takes minutes.

  @severity:critical @rule:one-connection @rule:conservation @rule:ws-heartbeat @rule:daily-reset
  Scenario: A VN30 trading day, its 15:05 reset and the next morning
    Given screens get a heartbeat every 1 second
    And the trading day begins at 08:50 in Ho Chi Minh City
    And screens watch the market, foreign flow, indices and alerts
    When the exchange trades a whole VN30 day, through the 15:05 reset into the next morning
    Then the day stays within these limits:
      | measure                                       | limit       |
      | stream connections                            | at most 1   |
      | most stream connections at once               | at most 1   |
      | shares not counted exactly once               | at most 0   |
      | memory growth from the first to the last hour | under 10 MB |
      | longest heartbeat gap                         | under 2,000 ms |
      | screens disconnected                          | at most 0   |
      | access tokens expired before renewal          | at most 0   |
      | boards not reset at 15:05                     | at most 0   |
