@alerts @clock @allure.label.epic:Alerts @rule:alert-foreign-acceleration
Feature: Foreign acceleration alerts
  As a foreign-flow analyst
  I want a warning when net foreign money in a stock changes sharply
  So that I see foreign investors piling in or out

  Contract rule: net foreign value changed by more than 30 % against the latest sample at
  least 5 minutes old, whose absolute value is at least 1e9 VND.

  Background: the windows are taken in the continuous session, far from the 15:05 reset
    Given it is 10:00:00 in Ho Chi Minh City

  @severity:critical
  Scenario Outline: Foreign acceleration: <case>
    Given foreign investors in FPT hold a net purchase of <before> VND
    And 5 minutes have passed
    When foreign investors in FPT reach a net purchase of <after> VND
    Then <outcome> foreign acceleration alert is raised for FPT

    Examples: alerts
      | case                                          | before        | after         | outcome |
      | A rise of more than 30 % alerts               | 2,000,000,000 | 2,700,000,000 | a       |
      | A fall of more than 30 % alerts               | 2,000,000,000 | 1,300,000,000 | a       |
      | A rise of 30 % and one VND alerts             | 2,000,000,000 | 2,600,000,001 | a       |
      | A fall of 30 % and one VND alerts             | 2,000,000,000 | 1,399,999,999 | a       |
      | A base of exactly 1 billion VND counts        | 1,000,000,000 | 2,000,000,000 | a       |

    Examples: no alert
      | case                                          | before        | after         | outcome |
      | A rise of exactly 30 % does not alert         | 2,000,000,000 | 2,600,000,000 | no      |
      | A fall of exactly 30 % does not alert         | 2,000,000,000 | 1,400,000,000 | no      |
      | A base below 1 billion VND is ignored         | 900,000,000   | 1,800,000,000 | no      |
      | A base one VND below 1 billion VND is ignored | 999,999,999   | 2,000,000,000 | no      |

  @severity:normal
  Scenario Outline: A sample <age> seconds old <counts> as the reference
    Given foreign investors in FPT hold a net purchase of 2,000,000,000 VND
    And <age> seconds have passed
    When foreign investors in FPT reach a net purchase of 4,000,000,000 VND
    Then <outcome> foreign acceleration alert is raised for FPT

    Examples: at least 5 minutes old
      | age | counts         | outcome |
      | 300 | counts         | a       |

    Examples: younger than 5 minutes
      | age | counts         | outcome |
      | 299 | does not count | no      |
      | 240 | does not count | no      |
