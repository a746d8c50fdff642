@trading_flow @allure.label.epic:TradingFlow
Feature: Robustness against bad input
  As an operator
  I want bad upstream frames and bad queries refused cleanly
  So that one bad message never stops the market data or corrupts the figures

  Contract rule: malformed upstream input is dropped and counted, never stopping the messages
  around it; bad query parameters get 422 with a reason.

  @severity:critical @rule:malformed-input
  Scenario Outline: A frame with <defect> is dropped and counted without harming its neighbours
    When the exchange reports a trade of 100 VNM at 80.0
    And the exchange sends a frame with <defect>
    And the exchange reports a trade of 200 VNM at 80.0
    Then VNM has 300 shares traded in total
    And the tracker has counted 1 rejected frame

    Examples: malformed content
      | defect                   |
      | text that is not JSON    |
      | an unknown message type  |
      | no symbol                |
      | a negative volume        |
      | a price that is text     |
      | an infinite price        |
      | a bar whose high is text |

  @severity:normal @rule:malformed-input
  Scenario: A stream frame whose message list holds a non-object loses none of the trades beside it
    When the exchange sends one stream frame holding a trade of 100 VNM at 80.0, a message that is not an object and a trade of 200 VNM at 80.0
    Then VNM has 300 shares traded in total
    And the tracker has counted 1 rejected frame

  @severity:normal @rule:metrics
  Scenario: Every frame read from the exchange is counted, and the malformed ones apart
    When the exchange reports 3 trades of 100 VNM at 80.0 one after another
    And the exchange reports a trade of 1,000 XYZ at 10.0
    And the exchange reports a one-minute bar of VNM
    And the exchange sends a frame with an unknown message type
    Then the tracker has counted 6 frames read from the exchange
    And the tracker has counted 1 rejected frame

  @severity:normal @rule:rest-422 @rule:rest-alerts @rule:rest-basis-trend
  Scenario Outline: A query with <parameter> set to <value> is <verdict>
    When an API caller asks for <resource> with <parameter> set to <value>
    Then the caller is <verdict>

    Examples: outside the ranges
      | resource    | parameter | value  | verdict               |
      | alerts      | limit     | 0      | refused with a reason |
      | alerts      | limit     | 201    | refused with a reason |
      | alerts      | limit     | ten    | refused with a reason |
      | alerts      | severity  | urgent | refused with a reason |
      | alerts      | type      | rumour | refused with a reason |
      | basis trend | minutes   | 0      | refused with a reason |
      | basis trend | minutes   | 121    | refused with a reason |

    Examples: at the edges of the ranges
      | resource    | parameter | value  | verdict               |
      | alerts      | limit     | 1      | answered              |
      | alerts      | limit     | 200    | answered              |
      | basis trend | minutes   | 1      | answered              |
      | basis trend | minutes   | 120    | answered              |
