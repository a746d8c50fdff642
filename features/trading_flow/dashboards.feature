@trading_flow @allure.label.epic:TradingFlow
Feature: Live dashboards
  As the operator of trading-floor screens
  I want each screen to get only its own data, promptly and without floods
  So that the screens stay current without overloading the network

  Contract rule: per-channel trailing-edge throttle; per-client queues that drop their oldest
  message when full; a heartbeat on every connection; the alert channel is never throttled;
  token and per-address limits close with a policy violation (1008).

  @smoke @severity:critical @rule:ws-channels
  Scenario: Each screen carries only its own kind of data
    Given a dashboard is connected
    And a foreign-flow screen is connected
    When the exchange reports a trade of 1,000 VNM at 80.5
    Then the dashboard receives the trade of VNM
    And the foreign-flow screen receives no update

  @severity:normal @rule:ws-channels @rule:derivatives
  Scenario: A new quote of the active futures contract reaches the dashboard without a trade
    Given a dashboard is connected
    And VN30F2412 has traded 10 contracts at 1255.0
    When the best bid for VN30F2412 becomes 1254.9 and the best ask 1255.1
    Then the dashboard receives VN30F2412 with a bid of 1254.9 and an ask of 1255.1

  @severity:critical @rule:ws-throttle
  Scenario: A burst inside the throttle window arrives as one immediate and one trailing update
    Given dashboards are throttled to one update per 300 ms
    And a dashboard is connected
    When the exchange reports 5 trades of 100 VNM at 80.0 in quick succession
    Then the dashboard receives exactly 2 updates
    And the last update the dashboard received shows 500 shares of VNM traded

  @severity:normal @rule:ws-queue
  Scenario: A slow dashboard does not delay the others
    Given a slow dashboard that never reads is connected
    And a dashboard is connected
    When the exchange reports 50 trades of 100 VNM at 80.0 one after another
    Then the dashboard eventually shows 5,000 shares of VNM traded

  @severity:normal @rule:ws-queue
  Scenario: A dashboard that stops reading loses its oldest updates, not its newest
    Given the tracker holds at most 5 updates for each screen
    And every stock of the VN30 basket has traded
    And a slow dashboard that stops reading is connected
    And a dashboard is connected
    When the exchange reports 40 trades of 100 VNM at 80.0, each shown on the dashboard before the next
    And the slow dashboard reads again
    Then the slow dashboard missed older updates but none of the newest 5 the dashboard received

  @severity:normal @rule:ws-heartbeat
  Scenario: An idle screen gets its heartbeats on time
    Given screens get a heartbeat every 1 second
    And an index screen is connected
    When the index screen stays idle for 3 seconds
    Then the index screen receives a heartbeat every 1 second

  Rule: Only admitted dashboards are served

    @severity:critical @rule:ws-auth
    Scenario: A dashboard with a wrong token is turned away
      Given dashboards must present a token
      When a dashboard connects with a wrong token
      Then the dashboard is closed for a policy violation

    @severity:critical @rule:ws-auth
    Scenario: A dashboard without a token is turned away
      Given dashboards must present a token
      When a dashboard connects without a token
      Then the dashboard is closed for a policy violation

    @severity:critical @rule:ws-auth
    Scenario: A dashboard with the right token is served
      Given dashboards must present a token
      And a dashboard is connected with the right token
      When the exchange reports a trade of 1,000 VNM at 80.5
      Then the dashboard receives the trade of VNM

    @severity:normal @rule:ws-ip-limit
    Scenario Outline: One address allowed <limit> dashboards: dashboard number <number> <outcome>
      Given one address may open <limit> dashboards
      And <open> dashboards are connected
      When another dashboard connects from the same address
      And the exchange reports a trade of 100 VNM at 80.0
      Then the dashboard <outcome>

      Examples: up to the limit
        | limit | open | number | outcome                           |
        | 5     | 4    | 5      | receives the trade of VNM         |
        | 2     | 1    | 2      | receives the trade of VNM         |

      Examples: beyond the limit
        | limit | open | number | outcome                           |
        | 5     | 5    | 6      | is closed for a policy violation  |
        | 2     | 2    | 3      | is closed for a policy violation  |
