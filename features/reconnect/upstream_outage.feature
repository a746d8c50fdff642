@reconnect @allure.label.epic:Reconnect
Feature: Surviving a loss of the exchange feed
  As a trader relying on live screens
  I want to be told when the exchange feed is lost and when it is back
  So that I never mistake a frozen screen for a quiet market

  Contract rule: on losing the SSI stream every client of every channel gets a
  disconnected status; the tracker reconnects with backoff from 2 s doubling to 60 s,
  authenticating afresh, and announces the recovery. The backoff follows the tracker's
  clock: @clock scenarios move it past each delay instead of waiting (where no clock can be
  moved, a @real_time_fallback scenario waits the delays out in real time).

  @smoke @severity:blocker @rule:ws-status
  Scenario: Every screen is told when the feed is lost
    Given these screens are connected:
      | screen              |
      | dashboard           |
      | foreign-flow screen |
      | index screen        |
      | alert screen        |
    When the exchange feed is lost
    Then every screen is told the feed is disconnected

  @clock @real_time_fallback @severity:critical @rule:ws-status @rule:outage-recovery
  Scenario: Every screen is told when the feed is back
    Given these screens are connected:
      | screen              |
      | dashboard           |
      | foreign-flow screen |
      | index screen        |
      | alert screen        |
    When the exchange feed is lost for a moment
    Then every screen is told the feed is connected again

  @smoke @clock @real_time_fallback @severity:critical @rule:outage-recovery
  Scenario: Market data flows again after the feed is back
    Given a dashboard is connected
    And the exchange feed was lost for a moment
    When the exchange reports a trade of 1,000 VNM at 80.5
    Then the dashboard receives the trade of VNM

  @severity:critical @rule:ws-status-on-connect
  Scenario: A screen that connects during an outage is told at once
    Given the exchange feed is lost and stays refused for 30 seconds
    When a dashboard connects
    Then the dashboard is told the feed is disconnected

  @clock @real_time_fallback @severity:normal @rule:outage-backoff
  Scenario: Refused reconnects are retried with growing delays and fresh authentication
    Given a dashboard is connected
    When the exchange feed is lost and stays refused
    Then the dashboard is told the feed is disconnected
    And the tracker retries after 2 and 4 seconds, each within 20 %
    And the tracker authenticated afresh for every attempt

  @clock @severity:normal @rule:outage-backoff
  Scenario: Reconnect delays double from 2 seconds up to a 60-second cap
    Given a dashboard is connected
    When the exchange feed is lost and stays refused
    Then the dashboard is told the feed is disconnected
    And the tracker retries after 2, 4, 8, 16, 32, 60 and 60 seconds, each within 20 %
    And the tracker authenticated afresh for every attempt

  @clock @real_time_fallback @severity:critical @rule:one-connection
  Scenario: Across several reconnects the tracker never holds two stream connections at once
    When the exchange feed is lost for a moment, 3 times over
    Then the tracker is connected to the exchange again
    And the tracker never held more than one stream connection at a time

  @severity:normal @rule:ws-channels
  Scenario: A dashboard that reconnects gets the current state with the next change
    Given a dashboard is connected
    And VNM has traded 1,000 shares at 80.0
    When the dashboard reconnects
    And the exchange reports a trade of 500 VNM at 80.0
    Then the dashboard shows 1,500 shares of VNM traded
