@stack @reference @allure.label.epic:Stack
Feature: The reference tracker's test control moves its clock, and exists only when asked for
  As an engineer verifying time windows on the reference tracker
  I want its clock moved through its test-control routes, and those routes absent unless turned on
  So that a minute-long window is checked in a second, and no tracker in production exposes a movable clock

  Contract rules [config-test-control] and [test-clock]: TRACKER_TEST_CONTROL=1, and nothing else,
  opens the test-control routes (404 without it); POST advance_seconds or set moves the tracker's
  clock, GET reads it, and every time window follows it. Both are rules of the reference tracker
  (tracker/), tagged @reference: they are skipped on a team's tracker (--sut-cmd, --sut-url or
  VN30_TRACKER_IMAGE), and `-m "not reference"` leaves them out.

  @rule:config-test-control
  Rule: Only TRACKER_TEST_CONTROL=1 opens the test-control routes

    @severity:critical
    Example: Without test control the test-control routes do not exist
      Given the tracker's test control is off
      When an API caller tries the tracker's test-control routes
      Then every test-control route answers that it does not exist

    @severity:normal
    Example: With test control the test-control routes answer with the tracker's time
      Given the tracker's test control is on
      When an API caller tries the tracker's test-control routes
      Then every test-control route answers with the tracker's time

  @rule:test-clock
  Rule: The test clock moves the tracker's time, and the time windows with it

    @severity:critical
    Example: Advancing the test clock moves the tracker's time on by as much
      Given the tracker's test control is on
      When the test clock is advanced by 90 seconds
      Then the tracker's test clock reads 90 seconds later than before

    @severity:critical
    Example: Setting the test clock puts the tracker at that time of day
      Given the tracker's test control is on
      When the test clock is set to 14:30:00 in Ho Chi Minh City
      Then the tracker's test clock reads 14:30:00 in Ho Chi Minh City

    @severity:normal
    Example: A time set with another offset is that moment, not that time of day in Ho Chi Minh City
      Given the tracker's test control is on
      When the test clock is set to 07:30:00 UTC
      Then the tracker's test clock reads 14:30:00 in Ho Chi Minh City

    @severity:normal
    Scenario Outline: A breakout repeated after the test clock moved <seconds> seconds is registered <count> time(s)
      Given the tracker's test control is on
      And the test clock is set to 10:00:00 in Ho Chi Minh City
      And VNM has a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4
      And VNM has traded at 85.6
      When the test clock is advanced by <seconds> seconds
      And the exchange reports a trade of 100 VNM at 85.6
      Then the alert history holds <count> price breakout alert(s) for VNM

      Examples:
        | seconds | count |
        | 58      | 1     |
        | 61      | 2     |

    @severity:normal
    Example: Setting the test clock past 15:05 resets the trading day
      Given the tracker's test control is on
      And the test clock is set to 15:04:00 in Ho Chi Minh City
      And VNM has traded 1,000 shares at 80.0
      When the test clock is set to 15:05:01 in Ho Chi Minh City
      Then the session volume is empty
