package dev.vectorcache.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The demo's sample corpus: 40 short texts on four topics, with title, topic, source and TTL. */
final class SampleCorpus {
  private SampleCorpus() {}

  /**
   * One sample text.
   *
   * @param key cache key
   * @param topic cooking, astronomy, programming or travel
   * @param title a short title
   * @param text the text that is embedded
   * @param ttl how long the entry lives
   */
  record Doc(String key, String topic, String title, String text, Duration ttl) {
    Map<String, Object> metadata() {
      return Map.of(
          "title", title, "topic", topic, "source", "vectorcache demo corpus", "text", text);
    }
  }

  static final List<String> TOPICS = List.of("cooking", "astronomy", "programming", "travel");

  private static Doc doc(String key, String topic, String title, String text, int ttlHours) {
    return new Doc(key, topic, title, text, Duration.ofHours(ttlHours));
  }

  static final List<Doc> DOCS =
      List.of(
          // cooking
          doc(
              "cook-01",
              "cooking",
              "Weeknight garlic pasta",
              "A quick pasta recipe for dinner: spaghetti tossed with garlic, olive oil, chili and parmesan.",
              24),
          doc(
              "cook-02",
              "cooking",
              "Perfect risotto",
              "Stir arborio rice with warm stock a ladle at a time until the risotto is creamy.",
              12),
          doc(
              "cook-03",
              "cooking",
              "Sourdough basics",
              "Feed the sourdough starter, knead the dough, let it rise overnight and bake the bread in a hot oven.",
              24),
          doc(
              "cook-04",
              "cooking",
              "Roasting vegetables",
              "Roast carrots and potatoes in the oven with olive oil, salt and rosemary until golden.",
              6),
          doc(
              "cook-05",
              "cooking",
              "Tomato sauce from scratch",
              "Simmer tomatoes, onion and basil for a rich sauce to serve with pasta or pizza.",
              12),
          doc(
              "cook-06",
              "cooking",
              "Knife skills",
              "Hold the chef's knife firmly and dice onions quickly and safely in the kitchen.",
              2),
          doc(
              "cook-07",
              "cooking",
              "Chocolate cake",
              "Bake a moist chocolate cake with cocoa, butter, eggs and sugar; frost it when cool.",
              24),
          doc(
              "cook-08",
              "cooking",
              "Stir-fry dinner",
              "A fast dinner: stir-fry chicken, ginger and vegetables in a hot wok with soy sauce.",
              6),
          doc(
              "cook-09",
              "cooking",
              "Homemade pasta dough",
              "Knead flour and eggs into fresh pasta dough, roll it thin and cut tagliatelle.",
              12),
          doc(
              "cook-10",
              "cooking",
              "Spice pantry",
              "Cumin, paprika and cinnamon are the spices every cook should keep for curry and stew recipes.",
              4),
          // astronomy
          doc(
              "astro-01",
              "astronomy",
              "How far away are the stars",
              "The nearest stars are light-years away; Proxima Centauri is about 4.2 light-years far from the Sun.",
              24),
          doc(
              "astro-02",
              "astronomy",
              "Measuring distance with parallax",
              "Astronomers measure the distance to nearby stars with parallax as Earth orbits the Sun.",
              24),
          doc(
              "astro-03",
              "astronomy",
              "Life of a star",
              "Stars form in nebulae, burn hydrogen for billions of years and end as white dwarfs or supernovae.",
              12),
          doc(
              "astro-04",
              "astronomy",
              "Phases of the Moon",
              "The Moon shows phases from new moon to full moon as it orbits Earth every month.",
              6),
          doc(
              "astro-05",
              "astronomy",
              "Galaxies",
              "The Milky Way is one of billions of galaxies; the Andromeda galaxy is 2.5 million light-years away.",
              24),
          doc(
              "astro-06",
              "astronomy",
              "Black holes",
              "A black hole bends light and space so strongly that nothing escapes its event horizon.",
              12),
          doc(
              "astro-07",
              "astronomy",
              "Planets of the solar system",
              "Eight planets orbit the Sun, from rocky Mercury to the ice giant Neptune far away.",
              24),
          doc(
              "astro-08",
              "astronomy",
              "Telescopes",
              "A telescope gathers light with a mirror or lens so we can see faint stars and galaxies.",
              6),
          doc(
              "astro-09",
              "astronomy",
              "Speed of light",
              "Light travels 300,000 kilometres per second, so starlight we see left the stars long ago.",
              24),
          doc(
              "astro-10",
              "astronomy",
              "Meteor showers",
              "Meteor showers happen when Earth crosses the dust trail of a comet; watch the night sky after midnight.",
              4),
          // programming
          doc(
              "code-01",
              "programming",
              "NullPointerException",
              "Fix a null pointer exception in Java code by checking for null or using Optional.",
              24),
          doc(
              "code-02",
              "programming",
              "Unit testing",
              "Write unit tests with JUnit and assertions so that a bug in the code fails the build.",
              12),
          doc(
              "code-03",
              "programming",
              "Git branches",
              "Create a git branch for each feature, commit often and merge it back with a pull request.",
              24),
          doc(
              "code-04",
              "programming",
              "Recursion",
              "A recursive function calls itself with a smaller input until it reaches the base case.",
              6),
          doc(
              "code-05",
              "programming",
              "Hash maps",
              "A hash map stores keys and values and finds a key in constant time on average.",
              12),
          doc(
              "code-06",
              "programming",
              "Debugging",
              "Use a debugger and breakpoints to step through the code and inspect variables when an exception is thrown.",
              24),
          doc(
              "code-07",
              "programming",
              "Concurrency",
              "Threads share memory, so protect shared state with locks or use immutable objects to avoid race conditions.",
              6),
          doc(
              "code-08",
              "programming",
              "Garbage collection",
              "The JVM garbage collector frees memory of objects that are no longer referenced by the program.",
              12),
          doc(
              "code-09",
              "programming",
              "REST APIs",
              "A REST API exposes resources over HTTP with GET, POST, PUT and DELETE requests and JSON bodies.",
              24),
          doc(
              "code-10",
              "programming",
              "Refactoring",
              "Refactor code in small steps, keeping the tests green, to make the program easier to read.",
              4),
          // travel
          doc(
              "trip-01",
              "travel",
              "A weekend in Lisbon",
              "Find cheap flights and hotels for a weekend in Lisbon; ride tram 28 and eat pastel de nata.",
              24),
          doc(
              "trip-02",
              "travel",
              "Packing light",
              "Pack a carry-on bag only: roll your clothes and bring one pair of shoes for the trip.",
              12),
          doc(
              "trip-03",
              "travel",
              "Rail pass in Europe",
              "A rail pass lets you travel by train across Europe between cities without booking flights.",
              24),
          doc(
              "trip-04",
              "travel",
              "Stargazing in the Atacama",
              "Book a stargazing tour in the Atacama desert in Chile, where the night sky is dark and full of stars.",
              6),
          doc(
              "trip-05",
              "travel",
              "Jet lag",
              "Beat jet lag after a long flight: sleep on the local schedule and get daylight in the morning.",
              12),
          doc(
              "trip-06",
              "travel",
              "Travel insurance",
              "Buy travel insurance before the trip so that cancelled flights and lost luggage are covered.",
              24),
          doc(
              "trip-07",
              "travel",
              "Hiking in the Alps",
              "Hike from hut to hut in the Alps in summer; book the mountain huts early.",
              6),
          doc(
              "trip-08",
              "travel",
              "Budget hostels",
              "Hostels are cheap places to stay when you travel on a budget and want to meet other travellers.",
              12),
          doc(
              "trip-09",
              "travel",
              "Visa and passport",
              "Check that your passport is valid and whether you need a visa before booking the journey.",
              24),
          doc(
              "trip-10",
              "travel",
              "Tokyo by subway",
              "Tokyo's subway reaches every neighbourhood; buy a prepaid card for trains and buses.",
              4));

  /** The demo's queries and the topic a reader expects first. */
  record Query(String text, String expectedTopic, @Nullable String filterTopic) {}

  static final List<Query> QUERIES =
      List.of(
          new Query("how far away are the stars", "astronomy", null),
          new Query("a quick pasta recipe for dinner", "cooking", null),
          new Query("fix a null pointer exception in my code", "programming", null),
          new Query("cheap flights and hotels for a weekend in Lisbon", "travel", null),
          new Query("stars in the night sky", "travel", "travel"));
}
