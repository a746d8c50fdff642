@session_lifecycle @clock @allure.label.epic:SessionLifecycle @rule:daily-reset
Feature: Daily reset after the close
  As an operator
  I want the tracker to start each trading day clean at 15:05 Vietnam time
  So that yesterday's figures never leak into today's screens

  Contract rule: at 15:05 Asia/Ho_Chi_Minh session stats, prices, foreign flow, indices,
  derivatives, alerts and de-duplication windows are cleared; the quote cache is kept.

  Background:
    Given it is 15:04:30 in Ho Chi Minh City
    And a trading day has left volume, prices, foreign flow, indices, futures and alerts behind

  @smoke @severity:critical
  Scenario Outline: At 15:05 the <board> is cleared
    When the clock passes 15:05
    Then the <board> is empty

    Examples:
      | board             |
      | session volume    |
      | price board       |
      | foreign flow      |
      | index board       |
      | derivatives board |
      | alert history     |

  @severity:critical
  Scenario: At 15:05:00 exactly the day is over
    When it is 15:05:00 in Ho Chi Minh City
    Then the session volume is empty
    And the alert history is empty

  @severity:critical
  Scenario: A tick before 15:05 resets nothing
    When it is 15:04:59 in Ho Chi Minh City
    Then the session volume still shows the day's trades
    And the alert history still shows the day's alerts

  @severity:critical
  Scenario: Quotes survive the reset
    When the clock passes 15:05
    And the exchange reports a trade of 100 VNM at 80.5
    Then VNM has 100 shares bought actively, 0 sold actively and 0 neutral

  @severity:normal
  Scenario: De-duplication starts afresh after the reset
    When the clock passes 15:05
    And the exchange reports a trade of 100 VNM at 85.6
    Then the alert history holds 1 price breakout alert(s) for VNM
