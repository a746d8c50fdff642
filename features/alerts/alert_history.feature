@alerts @allure.label.epic:Alerts
Feature: Alert history and de-duplication
  As a trader
  I want each alert once per minute and a history I can filter
  So that I am informed without being flooded

  Contract rule: each (type, symbol) registers at most once per 60 s; the newest 500 alerts
  are kept; the history is newest first, filterable by type and severity, limited.

  Background:
    Given VNM has a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4
    And FPT has a reference price of 120.0, a ceiling of 128.4 and a floor of 111.6

  @rule:alert-dedup
  Rule: The same alert is registered once per minute

    @clock @severity:critical
    Scenario Outline: A repeated breakout after <seconds> seconds is registered <count> time(s)
      Given it is 10:00:00 in Ho Chi Minh City
      And VNM has traded at 85.6
      And <seconds> seconds have passed
      When the exchange reports a trade of 100 VNM at 85.6
      Then the alert history holds <count> price breakout alert(s) for VNM

      Examples:
        | seconds | count |
        | 59      | 1     |
        | 61      | 2     |

    @clock @severity:critical
    Scenario Outline: A repeated breakout after <seconds> seconds reaches an alert screen <count> time(s)
      Given it is 10:00:00 in Ho Chi Minh City
      And an alert screen is connected
      And VNM has traded at 85.6
      And <seconds> seconds have passed
      When the exchange reports a trade of 100 VNM at 85.6
      Then the alert screen receives <count> price breakout alert(s) for VNM

      Examples:
        | seconds | count |
        | 59      | 1     |
        | 61      | 2     |

    @severity:critical
    Scenario: Different symbols are not de-duplicated together
      When the exchange reports a trade of 100 VNM at 85.6
      And the exchange reports a trade of 100 FPT at 128.4
      Then the alert history holds 1 price breakout alert(s) for VNM
      And the alert history holds 1 price breakout alert(s) for FPT

  @rule:rest-alerts
  Rule: The history is newest first and can be filtered

    @severity:normal
    Scenario: The history is newest first and honours the limit
      Given VNM has traded at 85.6
      And FPT has traded at 128.4
      When an API caller asks for the latest 1 alert
      Then the caller receives the price breakout alert for FPT only

    @severity:normal
    Scenario Outline: Filtering the history by <filter> <value>
      Given VNM has traded at 85.6
      And VNM has traded 9 times at 700 shares
      And VNM has traded 50,000 shares at 80.0
      When an API caller asks for alerts with <filter> <value>
      Then the caller receives only the <kind> alert for VNM

      Examples:
        | filter   | value          | kind            |
        | type     | volume_spike   | volume spike    |
        | type     | price_breakout | price breakout  |
        | severity | critical       | price breakout  |
        | severity | warning        | volume spike    |

    @severity:normal
    Scenario Outline: Asked without a limit, a history of <raised> alerts answers the newest <count>
      Given <raised> futures contracts have broken through their ceiling
      When an API caller asks for alerts
      Then the caller receives the newest <count> alerts, newest first

      Examples:
        | raised | count |
        | 50     | 50    |
        | 51     | 50    |

  @rule:alert-buffer
  Rule: Only the newest 500 alerts are kept

    @severity:normal
    Scenario Outline: After <later> later alerts the first one is <fate>
      Given a volume spike alert has been raised for VNM
      When <later> futures contracts break through their ceiling
      Then the volume spike alert for VNM is <fate>

      Examples:
        | later | fate      |
        | 499   | kept      |
        | 500   | discarded |
