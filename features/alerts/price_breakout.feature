@alerts @allure.label.epic:Alerts
Feature: Price breakout alerts
  As a trader
  I want a critical alert when a stock hits its ceiling or its floor
  So that I can react to limit moves at once

  Background:
    Given VNM has a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4

  @smoke @severity:blocker @rule:alert-price-breakout
  Scenario Outline: A trade at <price> is a breakout towards the <direction>
    When the exchange reports a trade of 100 VNM at <price>
    Then a critical price breakout alert towards the <direction> is raised for VNM

    Examples:
      | price | direction |
      | 85.6  | ceiling   |
      | 74.4  | floor     |

  @severity:normal @rule:alert-price-breakout
  Scenario: A trade inside the limits raises no alert
    When the exchange reports a trade of 100 VNM at 85.5
    Then no price breakout alert is raised for VNM

  @severity:normal @rule:alert-price-breakout
  Scenario Outline: A trade one VND inside the <limit> raises no alert
    When the exchange reports a trade of 100 VNM at <price>
    Then no price breakout alert is raised for VNM

    Examples:
      | limit   | price  |
      | ceiling | 85.599 |
      | floor   | 74.401 |

  @smoke @severity:critical @rule:ws-channels
  Scenario: An alert screen is told at once, whatever the throttle
    Given dashboards are throttled to one update per 5,000 ms
    And an alert screen is connected
    And a dashboard is connected
    When the exchange reports a trade of 100 VNM at 85.6
    Then the alert screen receives a price breakout alert for VNM within 1 second

  @rule:alert-price-breakout
  Rule: No breakout is raised while the ceiling or the floor is unknown

    @severity:critical
    Scenario Outline: A trade at <price> raises no breakout while the <unknown> is not known
      Given FPT has a reference price of 120.0, a ceiling of <ceiling> and a floor of <floor>
      When the exchange reports a trade of 100 FPT at <price>
      Then no price breakout alert is raised for FPT

      Examples:
        | unknown | ceiling | floor | price |
        | floor   | 128.4   | 0     | 128.4 |
        | ceiling | 0       | 111.6 | 111.6 |

    @severity:normal
    Example: A trade before any quote raises no breakout
      Given no quote has been seen for FPT
      When the exchange reports a trade of 100 FPT at 120.0
      Then no price breakout alert is raised for FPT
