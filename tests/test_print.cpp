// Printing: rd::to_string and operator<< against PyTorch's repr() (torch/_tensor_str.py).
// Every expected string is what PyTorch prints for the same values and print options, except
// that the dtype suffix reads `dtype=float64` where PyTorch writes `dtype=torch.float64`
// (API.md). Suffix wrapping is computed on our (shorter) suffix text.
#include <catch2/catch.hpp>

#include <radicand/radicand.hpp>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace rd = radicand;

namespace {

const float nanf_ = std::numeric_limits<float>::quiet_NaN();
const float inff_ = std::numeric_limits<float>::infinity();

rd::print_options opts_with(int precision, std::int64_t threshold, std::int64_t edgeitems,
                            std::int64_t linewidth, rd::sci_mode sci = rd::sci_mode::automatic) {
  rd::print_options o;
  o.precision = precision;
  o.threshold = threshold;
  o.edgeitems = edgeitems;
  o.linewidth = linewidth;
  o.sci = sci;
  return o;
}

rd::print_options threshold_edge(std::int64_t threshold, std::int64_t edgeitems) {
  return opts_with(4, threshold, edgeitems, 80);
}

std::vector<float> quarters(std::int64_t n) {
  std::vector<float> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(static_cast<float>(i) * 0.25f);
  return v;
}
std::vector<double> quarters_d(std::int64_t n) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(static_cast<double>(i) * 0.25);
  return v;
}

}  // namespace

TEST_CASE("print: the examples of API.md", "[print]") {
  rd::tensor<float> v = {1.f, 0.5f, 1.f / 3.f, 0.25f};
  CHECK(rd::to_string(v) == "tensor([1.0000, 0.5000, 0.3333, 0.2500])");
  rd::tensor<float> m = {{0.5f, 1.f / 3.f}, {0.25f, 0.2f}};
  CHECK(rd::to_string(m) == "tensor([[0.5000, 0.3333],\n        [0.2500, 0.2000]])");
  CHECK(rd::to_string(m) ==
        "tensor([[0.5000, 0.3333],\n"
        "        [0.2500, 0.2000]])");
  CHECK(rd::to_string(rd::scalar(0.5f)) == "tensor(0.5000)");
  rd::tensor<float> n = {nanf_, 1.8349f, 0.8053f, nanf_};
  CHECK(rd::to_string(n) == "tensor([   nan, 1.8349, 0.8053,    nan])");
  rd::tensor<float> tiny = {1e-4f};  // 1e-4f is just below 1e-4: scientific
  CHECK(rd::to_string(tiny) == "tensor([1.0000e-04])");
  CHECK(rd::to_string(rd::zeros<rd::half>({1})) == "tensor([0.], dtype=float16)");
  rd::tensor<float> ints = {1.f, 2.f, 3.f};
  CHECK(rd::to_string(ints) == "tensor([1., 2., 3.])");
  rd::tensor<std::int64_t> i64 = {1, 2, 3};
  CHECK(rd::to_string(i64) == "tensor([1, 2, 3])");
  rd::tensor<std::int32_t> i32 = {1, 2, 3};
  CHECK(rd::to_string(i32) == "tensor([1, 2, 3], dtype=int32)");
  rd::tensor<bool> b = {true, false};
  CHECK(rd::to_string(b) == "tensor([ True, False])");
  CHECK(rd::to_string(rd::empty<float>({0, 3})) == "tensor([], size=(0, 3))");
  CHECK(rd::to_string(rd::empty<float>({0})) == "tensor([])");
  CHECK(rd::to_string(rd::empty<std::int64_t>({0})) == "tensor([], dtype=int64)");
  rd::tensor<float> nonfinite = {inff_, nanf_, 1.f};
  CHECK(rd::to_string(nonfinite) == "tensor([inf, nan, 1.])");
  rd::tensor<float> wide = {1e10f, 1.f};
  CHECK(rd::to_string(wide) == "tensor([1.0000e+10, 1.0000e+00])");
  rd::tensor<double> wide_d = {1e10, 1.0};
  CHECK(rd::to_string(wide_d) == "tensor([1.0000e+10, 1.0000e+00], dtype=float64)");
}

TEST_CASE("print: the dtype suffix of every element type", "[print]") {
  rd::tensor<double> d = {0.5, 0.25};
  CHECK(rd::to_string(d) == "tensor([0.5000, 0.2500], dtype=float64)");
  rd::tensor<rd::half> h = {rd::half(0.5f), rd::half(1.5f)};
  CHECK(rd::to_string(h) == "tensor([0.5000, 1.5000], dtype=float16)");
  rd::tensor<rd::bfloat16> bf = {rd::bfloat16(0.5f), rd::bfloat16(3.f)};
  CHECK(rd::to_string(bf) == "tensor([0.5000, 3.0000], dtype=bfloat16)");
  rd::tensor<std::int8_t> i8 = {-128, 127};
  CHECK(rd::to_string(i8) == "tensor([-128,  127], dtype=int8)");
  rd::tensor<std::uint8_t> u8 = {0, 255};
  CHECK(rd::to_string(u8) == "tensor([  0, 255], dtype=uint8)");
  rd::tensor<std::int16_t> i16 = {-5, 300};
  CHECK(rd::to_string(i16) == "tensor([ -5, 300], dtype=int16)");
  rd::tensor<std::int32_t> i32 = {std::numeric_limits<std::int32_t>::min(),
                                  std::numeric_limits<std::int32_t>::max()};
  CHECK(rd::to_string(i32) == "tensor([-2147483648,  2147483647], dtype=int32)");
  rd::tensor<std::int64_t> i64 = {std::numeric_limits<std::int64_t>::min(), 0,
                                  std::numeric_limits<std::int64_t>::max()};
  CHECK(rd::to_string(i64) ==
        "tensor([-9223372036854775808,                    0,  9223372036854775807])");
  rd::tensor<bool> b = {true, true};
  CHECK(rd::to_string(b) == "tensor([True, True])");
  rd::tensor<std::int8_t> i8m = {{-1, 2}, {-30, 4}};
  CHECK(rd::to_string(i8m) ==
        "tensor([[ -1,   2],\n"
        "        [-30,   4]], dtype=int8)");
  rd::tensor<bool> bm = {{true, false}, {true, true}};
  CHECK(rd::to_string(bm) ==
        "tensor([[ True, False],\n"
        "        [ True,  True]])");
  rd::tensor<std::int64_t> im = {{-1, 10}, {100, -1000}};
  CHECK(rd::to_string(im) ==
        "tensor([[   -1,    10],\n"
        "        [  100, -1000]])");
}

TEST_CASE("print: 0-d tensors", "[print]") {
  CHECK(rd::to_string(rd::scalar<std::int64_t>(3)) == "tensor(3)");
  CHECK(rd::to_string(rd::scalar(true)) == "tensor(True)");
  CHECK(rd::to_string(rd::scalar(false)) == "tensor(False)");
  CHECK(rd::to_string(rd::scalar(2.0)) == "tensor(2., dtype=float64)");
  CHECK(rd::to_string(rd::scalar(-0.f)) == "tensor(-0.)");
  CHECK(rd::to_string(rd::scalar(nanf_)) == "tensor(nan)");
  CHECK(rd::to_string(rd::scalar(-inff_)) == "tensor(-inf)");
  CHECK(rd::to_string(rd::scalar(1e-5f)) == "tensor(1.0000e-05)");
  CHECK(rd::to_string(rd::scalar<std::int8_t>(-7)) == "tensor(-7, dtype=int8)");
  CHECK(rd::to_string(rd::scalar<std::uint8_t>(200)) == "tensor(200, dtype=uint8)");
  CHECK(rd::to_string(rd::scalar(rd::half(0.1f))) == "tensor(0.1000, dtype=float16)");
  CHECK(rd::to_string(rd::scalar(123456789.f)) == "tensor(1.2346e+08)");
  CHECK(rd::to_string(rd::scalar(-2.5f)) == "tensor(-2.5000)");
}

TEST_CASE("print: empty tensors keep their shape in the suffix", "[print]") {
  CHECK(rd::to_string(rd::tensor<float>()) == "tensor([])");
  CHECK(rd::to_string(rd::empty<float>({2, 0})) == "tensor([], size=(2, 0))");
  CHECK(rd::to_string(rd::empty<float>({0, 3, 1})) == "tensor([], size=(0, 3, 1))");
  CHECK(rd::to_string(rd::empty<double>({0})) == "tensor([], dtype=float64)");
  CHECK(rd::to_string(rd::empty<bool>({0})) == "tensor([], dtype=bool)");
  CHECK(rd::to_string(rd::empty<std::int32_t>({3, 0})) == "tensor([], size=(3, 0), dtype=int32)");
  CHECK(rd::to_string(rd::empty<rd::bfloat16>({1, 0})) ==
        "tensor([], size=(1, 0), dtype=bfloat16)");
  // A zero-size view of a non-empty tensor.
  auto m = rd::arange<std::int64_t>(0, 6).reshape({2, 3});
  CHECK(rd::to_string(m.slice(1, 0, 0)) == "tensor([], size=(2, 0), dtype=int64)");
  CHECK(rd::to_string(m[0].slice(0, 2, 2)) == "tensor([], dtype=int64)");
  // edgeitems == 0 adds size= only to non-empty tensors.
  CHECK(rd::to_string(rd::empty<float>({0}), threshold_edge(1000, 0)) == "tensor([])");
}

TEST_CASE("print: integer mode for integral floating values", "[print]") {
  rd::tensor<float> a = {1.f, -2.f, 10.f};
  CHECK(rd::to_string(a) == "tensor([ 1., -2., 10.])");
  CHECK(rd::to_string(rd::zeros<float>({2})) == "tensor([0., 0.])");
  rd::tensor<float> nz = {-0.f};
  CHECK(rd::to_string(nz) == "tensor([-0.])");
  rd::tensor<float> nz1 = {-0.f, 1.f};
  CHECK(rd::to_string(nz1) == "tensor([-0., 1.])");
  // The max/min ratio switches to scientific only above 1000; magnitudes above 1e8 too.
  rd::tensor<float> r1001 = {1.f, 1001.f};
  CHECK(rd::to_string(r1001) == "tensor([1.0000e+00, 1.0010e+03])");
  rd::tensor<float> r1000 = {1.f, 1000.f};
  CHECK(rd::to_string(r1000) == "tensor([   1., 1000.])");
  rd::tensor<float> r10 = {100.f, 1000.f};
  CHECK(rd::to_string(r10) == "tensor([ 100., 1000.])");
  rd::tensor<float> e8 = {1e8f};
  CHECK(rd::to_string(e8) == "tensor([100000000.])");
  rd::tensor<float> e8b = {2e8f};
  CHECK(rd::to_string(e8b) == "tensor([2.0000e+08])");
  rd::tensor<float> allnan = {nanf_, -inff_};
  CHECK(rd::to_string(allnan) == "tensor([nan, -inf])");
}

TEST_CASE("print: fixed and scientific notation", "[print]") {
  rd::tensor<double> d4 = {1e-4};  // exactly the bound: fixed
  CHECK(rd::to_string(d4) == "tensor([0.0001], dtype=float64)");
  rd::tensor<float> a = {0.001f, 1.f};
  CHECK(rd::to_string(a) == "tensor([0.0010, 1.0000])");
  rd::tensor<float> b = {0.5f, 400.f};
  CHECK(rd::to_string(b) == "tensor([  0.5000, 400.0000])");
  rd::tensor<float> c = {0.5f, 600.f};  // ratio 1200
  CHECK(rd::to_string(c) == "tensor([5.0000e-01, 6.0000e+02])");
  rd::tensor<float> d = {1e-5f, 1.f};
  CHECK(rd::to_string(d) == "tensor([1.0000e-05, 1.0000e+00])");
  rd::tensor<double> e = {1.5e-300, 1.0};  // three exponent digits
  CHECK(rd::to_string(e) == "tensor([1.5000e-300,  1.0000e+00], dtype=float64)");
  rd::tensor<double> f = {1e300};
  CHECK(rd::to_string(f) == "tensor([1.0000e+300], dtype=float64)");
  rd::tensor<float> g = {-1.5f, 0.25f};
  CHECK(rd::to_string(g) == "tensor([-1.5000,  0.2500])");
  rd::tensor<float> h = {-3.5f, 1e-3f, 42.f};
  CHECK(rd::to_string(h) == "tensor([-3.5000e+00,  1.0000e-03,  4.2000e+01])");
  rd::tensor<float> i = {-1e-5f, 1.f, -2e6f};
  CHECK(rd::to_string(i) == "tensor([-1.0000e-05,  1.0000e+00, -2.0000e+06])");
}

TEST_CASE("print: negative zero, NaN and infinity", "[print]") {
  // Zeros do not count towards the width, so -0.0000 sticks out by one.
  rd::tensor<float> a = {-0.f, 0.5f};
  CHECK(rd::to_string(a) == "tensor([-0.0000, 0.5000])");
  rd::tensor<float> b = {nanf_, -inff_, 0.5f};
  CHECK(rd::to_string(b) == "tensor([   nan,   -inf, 0.5000])");
  rd::tensor<float> c = {nanf_, 1e-5f};
  CHECK(rd::to_string(c) == "tensor([       nan, 1.0000e-05])");
  rd::tensor<float> d = {-nanf_, 1.f};  // Python prints any NaN as "nan"
  CHECK(rd::to_string(d) == "tensor([nan, 1.])");
  rd::tensor<double> e = {-std::numeric_limits<double>::quiet_NaN(), 0.5};
  CHECK(rd::to_string(e) == "tensor([   nan, 0.5000], dtype=float64)");
  rd::tensor<float> f = {inff_, -inff_};
  CHECK(rd::to_string(f) == "tensor([inf, -inf])");
}

TEST_CASE("print: 1-d summarisation past the threshold", "[print]") {
  CHECK(rd::to_string(rd::arange<float>(0.f, 2000.f)) ==
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 2000)) ==
        "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 10000)) ==
        "tensor([   0,    1,    2,  ..., 9997, 9998, 9999])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 1001)) ==
        "tensor([   0,    1,    2,  ...,  998,  999, 1000])");
  CHECK(rd::to_string(rd::full<float>({1000000}, 0.5f)) ==
        "tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])");
  std::vector<std::uint8_t> u8;
  for (int i = 0; i < 3000; ++i) u8.push_back(static_cast<std::uint8_t>(i % 256));
  CHECK(rd::to_string(rd::from_vector(u8)) ==
        "tensor([  0,   1,   2,  ..., 181, 182, 183], dtype=uint8)");
  std::vector<bool> bv;
  for (int i = 0; i < 2000; ++i) bv.push_back(i % 3 == 0);
  auto bt = rd::empty<bool>({2000});
  for (std::int64_t i = 0; i < 2000; ++i) bt.data()[i] = bv[static_cast<std::size_t>(i)];
  CHECK(rd::to_string(bt) == "tensor([ True, False, False,  ..., False,  True, False])");

  // Exactly 1000 elements: printed in full, 14 per line.
  const std::string full = rd::to_string(rd::arange<std::int64_t>(0, 1000));
  CHECK(full.find("...") == std::string::npos);
  CHECK(std::count(full.begin(), full.end(), '\n') == 71);
  CHECK(full.rfind("tensor([  0,   1,   2,   3,", 0) == 0);
  const std::string tail = "993,\n        994, 995, 996, 997, 998, 999])";
  REQUIRE(full.size() > tail.size());
  CHECK(full.compare(full.size() - tail.size(), tail.size(), tail) == 0);
}

TEST_CASE("print: 2-d, 3-d and 4-d summarisation", "[print]") {
  auto a = rd::arange<std::int64_t>(0, 2000);
  CHECK(rd::to_string(a.reshape({40, 50})) ==
        "tensor([[   0,    1,    2,  ...,   47,   48,   49],\n"
        "        [  50,   51,   52,  ...,   97,   98,   99],\n"
        "        [ 100,  101,  102,  ...,  147,  148,  149],\n"
        "        ...,\n"
        "        [1850, 1851, 1852,  ..., 1897, 1898, 1899],\n"
        "        [1900, 1901, 1902,  ..., 1947, 1948, 1949],\n"
        "        [1950, 1951, 1952,  ..., 1997, 1998, 1999]])");
  CHECK(rd::to_string(a.reshape({2, 1000})) ==
        "tensor([[   0,    1,    2,  ...,  997,  998,  999],\n"
        "        [1000, 1001, 1002,  ..., 1997, 1998, 1999]])");
  std::vector<float> thousandths;
  for (int i = 0; i < 2000; ++i) thousandths.push_back(static_cast<float>(i / 1000.0));
  CHECK(rd::to_string(rd::from_vector(thousandths, {2, 1000})) ==
        "tensor([[0.0000e+00, 1.0000e-03, 2.0000e-03,  ..., 9.9700e-01, 9.9800e-01,\n"
        "         9.9900e-01],\n"
        "        [1.0000e+00, 1.0010e+00, 1.0020e+00,  ..., 1.9970e+00, 1.9980e+00,\n"
        "         1.9990e+00]])");
  std::vector<float> mixed;
  for (int i = 0; i < 1500; ++i) mixed.push_back(static_cast<float>(((i * 37) % 101 - 50) / 7.0));
  CHECK(rd::to_string(rd::from_vector(mixed, {30, 50})) ==
        "tensor([[-7.1429, -1.8571,  3.4286,  ..., -4.0000,  1.2857,  6.5714],\n"
        "        [-2.5714,  2.7143, -6.4286,  ...,  0.5714,  5.8571, -3.2857],\n"
        "        [ 2.0000, -7.1429, -1.8571,  ...,  5.1429, -4.0000,  1.2857],\n"
        "        ...,\n"
        "        [ 0.8571,  6.1429, -3.0000,  ...,  4.0000, -5.1429,  0.1429],\n"
        "        [ 5.4286, -3.7143,  1.5714,  ..., -5.8571, -0.5714,  4.7143],\n"
        "        [-4.4286,  0.8571,  6.1429,  ..., -1.2857,  4.0000, -5.1429]])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 1200).reshape({12, 10, 10})) ==
        "tensor([[[   0,    1,    2,  ...,    7,    8,    9],\n"
        "         [  10,   11,   12,  ...,   17,   18,   19],\n"
        "         [  20,   21,   22,  ...,   27,   28,   29],\n"
        "         ...,\n"
        "         [  70,   71,   72,  ...,   77,   78,   79],\n"
        "         [  80,   81,   82,  ...,   87,   88,   89],\n"
        "         [  90,   91,   92,  ...,   97,   98,   99]],\n"
        "\n"
        "        [[ 100,  101,  102,  ...,  107,  108,  109],\n"
        "         [ 110,  111,  112,  ...,  117,  118,  119],\n"
        "         [ 120,  121,  122,  ...,  127,  128,  129],\n"
        "         ...,\n"
        "         [ 170,  171,  172,  ...,  177,  178,  179],\n"
        "         [ 180,  181,  182,  ...,  187,  188,  189],\n"
        "         [ 190,  191,  192,  ...,  197,  198,  199]],\n"
        "\n"
        "        [[ 200,  201,  202,  ...,  207,  208,  209],\n"
        "         [ 210,  211,  212,  ...,  217,  218,  219],\n"
        "         [ 220,  221,  222,  ...,  227,  228,  229],\n"
        "         ...,\n"
        "         [ 270,  271,  272,  ...,  277,  278,  279],\n"
        "         [ 280,  281,  282,  ...,  287,  288,  289],\n"
        "         [ 290,  291,  292,  ...,  297,  298,  299]],\n"
        "\n"
        "        ...,\n"
        "\n"
        "        [[ 900,  901,  902,  ...,  907,  908,  909],\n"
        "         [ 910,  911,  912,  ...,  917,  918,  919],\n"
        "         [ 920,  921,  922,  ...,  927,  928,  929],\n"
        "         ...,\n"
        "         [ 970,  971,  972,  ...,  977,  978,  979],\n"
        "         [ 980,  981,  982,  ...,  987,  988,  989],\n"
        "         [ 990,  991,  992,  ...,  997,  998,  999]],\n"
        "\n"
        "        [[1000, 1001, 1002,  ..., 1007, 1008, 1009],\n"
        "         [1010, 1011, 1012,  ..., 1017, 1018, 1019],\n"
        "         [1020, 1021, 1022,  ..., 1027, 1028, 1029],\n"
        "         ...,\n"
        "         [1070, 1071, 1072,  ..., 1077, 1078, 1079],\n"
        "         [1080, 1081, 1082,  ..., 1087, 1088, 1089],\n"
        "         [1090, 1091, 1092,  ..., 1097, 1098, 1099]],\n"
        "\n"
        "        [[1100, 1101, 1102,  ..., 1107, 1108, 1109],\n"
        "         [1110, 1111, 1112,  ..., 1117, 1118, 1119],\n"
        "         [1120, 1121, 1122,  ..., 1127, 1128, 1129],\n"
        "         ...,\n"
        "         [1170, 1171, 1172,  ..., 1177, 1178, 1179],\n"
        "         [1180, 1181, 1182,  ..., 1187, 1188, 1189],\n"
        "         [1190, 1191, 1192,  ..., 1197, 1198, 1199]]])");
  CHECK(rd::to_string(rd::arange<std::int16_t>(0, 1600).reshape({8, 1, 1, 200})) ==
        "tensor([[[[   0,    1,    2,  ...,  197,  198,  199]]],\n"
        "\n"
        "\n"
        "        [[[ 200,  201,  202,  ...,  397,  398,  399]]],\n"
        "\n"
        "\n"
        "        [[[ 400,  401,  402,  ...,  597,  598,  599]]],\n"
        "\n"
        "\n"
        "        ...,\n"
        "\n"
        "\n"
        "        [[[1000, 1001, 1002,  ..., 1197, 1198, 1199]]],\n"
        "\n"
        "\n"
        "        [[[1200, 1201, 1202,  ..., 1397, 1398, 1399]]],\n"
        "\n"
        "\n"
        "        [[[1400, 1401, 1402,  ..., 1597, 1598, 1599]]]], dtype=int16)");
  CHECK(rd::to_string(rd::full<float>({1000, 1000}, 0.5f)) ==
        "tensor([[0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],\n"
        "        [0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],\n"
        "        [0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],\n"
        "        ...,\n"
        "        [0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],\n"
        "        [0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],\n"
        "        [0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000]])");

  // Summarised but no dimension longer than 2 * edgeitems: nothing is cut, so the
  // output equals the unsummarised one.
  auto b = rd::arange<std::int32_t>(0, 1296).reshape({6, 6, 6, 6});
  const std::string summarised = rd::to_string(b);
  CHECK(summarised == rd::to_string(b, threshold_edge(2000, 3)));
  CHECK(summarised.find("...") == std::string::npos);
  CHECK(summarised.rfind("tensor([[[[   0,    1,    2,    3,    4,    5],\n"
                         "          [   6,    7,    8,    9,   10,   11],",
                         0) == 0);
}

TEST_CASE("print: nested brackets of 3-d and 4-d tensors", "[print]") {
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 8).reshape({2, 2, 2})) ==
        "tensor([[[0, 1],\n"
        "         [2, 3]],\n"
        "\n"
        "        [[4, 5],\n"
        "         [6, 7]]])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 16).reshape({2, 2, 2, 2})) ==
        "tensor([[[[ 0,  1],\n"
        "          [ 2,  3]],\n"
        "\n"
        "         [[ 4,  5],\n"
        "          [ 6,  7]]],\n"
        "\n"
        "\n"
        "        [[[ 8,  9],\n"
        "          [10, 11]],\n"
        "\n"
        "         [[12, 13],\n"
        "          [14, 15]]]])");
  rd::tensor<float> f = {{{0.f, 0.5f}, {1.f, 1.5f}, {2.f, 2.5f}},
                         {{3.f, 3.5f}, {4.f, 4.5f}, {5.f, 5.5f}}};
  CHECK(rd::to_string(f) ==
        "tensor([[[0.0000, 0.5000],\n"
        "         [1.0000, 1.5000],\n"
        "         [2.0000, 2.5000]],\n"
        "\n"
        "        [[3.0000, 3.5000],\n"
        "         [4.0000, 4.5000],\n"
        "         [5.0000, 5.5000]]])");
  CHECK(rd::to_string(rd::zeros<float>({2, 2, 2})) ==
        "tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]])");
  CHECK(rd::to_string(rd::full<std::int64_t>({1, 1, 1, 1}, 7)) == "tensor([[[[7]]]])");
  CHECK(rd::to_string(rd::zeros<float>({1, 1, 2})) == "tensor([[[0., 0.]]])");
}

TEST_CASE("print: long rows wrap at the line width", "[print]") {
  CHECK(rd::to_string(rd::from_vector(quarters(30))) ==
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,\n"
        "        2.2500, 2.5000, 2.7500, 3.0000, 3.2500, 3.5000, 3.7500, 4.0000, 4.2500,\n"
        "        4.5000, 4.7500, 5.0000, 5.2500, 5.5000, 5.7500, 6.0000, 6.2500, 6.5000,\n"
        "        6.7500, 7.0000, 7.2500])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 40)) ==
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n"
        "        36, 37, 38, 39])");
  CHECK(rd::to_string(rd::from_vector(quarters(60), {2, 30})) ==
        "tensor([[ 0.0000,  0.2500,  0.5000,  0.7500,  1.0000,  1.2500,  1.5000,  1.7500,\n"
        "          2.0000,  2.2500,  2.5000,  2.7500,  3.0000,  3.2500,  3.5000,  3.7500,\n"
        "          4.0000,  4.2500,  4.5000,  4.7500,  5.0000,  5.2500,  5.5000,  5.7500,\n"
        "          6.0000,  6.2500,  6.5000,  6.7500,  7.0000,  7.2500],\n"
        "        [ 7.5000,  7.7500,  8.0000,  8.2500,  8.5000,  8.7500,  9.0000,  9.2500,\n"
        "          9.5000,  9.7500, 10.0000, 10.2500, 10.5000, 10.7500, 11.0000, 11.2500,\n"
        "         11.5000, 11.7500, 12.0000, 12.2500, 12.5000, 12.7500, 13.0000, 13.2500,\n"
        "         13.5000, 13.7500, 14.0000, 14.2500, 14.5000, 14.7500]])");
  std::vector<double> eighths;
  for (int i = 0; i < 80; ++i) eighths.push_back(i / 8.0);
  CHECK(rd::to_string(rd::from_vector(eighths, {2, 2, 20})) ==
        "tensor([[[0.0000, 0.1250, 0.2500, 0.3750, 0.5000, 0.6250, 0.7500, 0.8750,\n"
        "          1.0000, 1.1250, 1.2500, 1.3750, 1.5000, 1.6250, 1.7500, 1.8750,\n"
        "          2.0000, 2.1250, 2.2500, 2.3750],\n"
        "         [2.5000, 2.6250, 2.7500, 2.8750, 3.0000, 3.1250, 3.2500, 3.3750,\n"
        "          3.5000, 3.6250, 3.7500, 3.8750, 4.0000, 4.1250, 4.2500, 4.3750,\n"
        "          4.5000, 4.6250, 4.7500, 4.8750]],\n"
        "\n"
        "        [[5.0000, 5.1250, 5.2500, 5.3750, 5.5000, 5.6250, 5.7500, 5.8750,\n"
        "          6.0000, 6.1250, 6.2500, 6.3750, 6.5000, 6.6250, 6.7500, 6.8750,\n"
        "          7.0000, 7.1250, 7.2500, 7.3750],\n"
        "         [7.5000, 7.6250, 7.7500, 7.8750, 8.0000, 8.1250, 8.2500, 8.3750,\n"
        "          8.5000, 8.6250, 8.7500, 8.8750, 9.0000, 9.1250, 9.2500, 9.3750,\n"
        "          9.5000, 9.6250, 9.7500, 9.8750]]], dtype=float64)");
}

TEST_CASE("print: a suffix moves to its own line when the last line is full", "[print]") {
  // 7 doubles end the line at column 65 (PyTorch counts two more), and ", dtype=float64"
  // still fits in 80; an 8th does not.
  CHECK(rd::to_string(rd::from_vector(quarters_d(7))) ==
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000], dtype=float64)");
  CHECK(rd::to_string(rd::from_vector(quarters_d(8))) ==
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500],\n"
        "       dtype=float64)");
  CHECK(rd::to_string(rd::from_vector(quarters_d(10))) ==
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,\n"
        "        2.2500], dtype=float64)");
  CHECK(rd::to_string(rd::from_vector(quarters_d(18), {2, 9})) ==
        "tensor([[0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000],\n"
        "        [2.2500, 2.5000, 2.7500, 3.0000, 3.2500, 3.5000, 3.7500, 4.0000, 4.2500]],\n"
        "       dtype=float64)");
  CHECK(rd::to_string(rd::arange<std::int32_t>(100000, 100007)) ==
        "tensor([100000, 100001, 100002, 100003, 100004, 100005, 100006], dtype=int32)");
  CHECK(rd::to_string(rd::arange<std::int32_t>(100000, 100008)) ==
        "tensor([100000, 100001, 100002, 100003, 100004, 100005, 100006, 100007],\n"
        "       dtype=int32)");
  rd::tensor<double> d = {0.5, 0.25};
  CHECK(rd::to_string(d, opts_with(4, 1000, 3, 20)) ==
        "tensor([0.5000,\n"
        "        0.2500],\n"
        "       dtype=float64)");
  CHECK(rd::to_string(rd::empty<std::int32_t>({0, 3}), opts_with(4, 1000, 3, 20)) ==
        "tensor([],\n"
        "       size=(0, 3),\n"
        "       dtype=int32)");
  CHECK(rd::to_string(rd::arange<std::int16_t>(0, 10), opts_with(4, 5, 0, 30)) ==
        "tensor([...], size=(10,),\n"
        "       dtype=int16)");
}

TEST_CASE("print: threshold and edgeitems", "[print]") {
  auto a = rd::arange<std::int64_t>(0, 10);
  CHECK(rd::to_string(a, threshold_edge(5, 3)) == "tensor([0, 1, 2,  ..., 7, 8, 9])");
  CHECK(rd::to_string(a, threshold_edge(5, 1)) == "tensor([0,  ..., 9])");
  CHECK(rd::to_string(a, threshold_edge(10, 3)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])");
  CHECK(rd::to_string(a, threshold_edge(9, 3)) == "tensor([0, 1, 2,  ..., 7, 8, 9])");
  CHECK(rd::to_string(a, threshold_edge(5, 0)) == "tensor([...], size=(10,))");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 3), threshold_edge(1000, 0)) ==
        "tensor([0, 1, 2], size=(3,))");
  CHECK(rd::to_string(rd::arange<std::int32_t>(0, 20).reshape({4, 5}), threshold_edge(5, 0)) ==
        "tensor([...], size=(4, 5), dtype=int32)");
  CHECK(rd::to_string(rd::scalar(0.5f), threshold_edge(0, 0)) == "tensor(0.5000, size=())");
  CHECK(rd::to_string(rd::scalar(0.5f), threshold_edge(0, 3)) == "tensor(0.5000)");
  std::vector<double> q;
  for (int i = 0; i < 7 * 3 * 9; ++i) q.push_back(i / 4.0);
  CHECK(rd::to_string(rd::from_vector(q, {7, 3, 9}), threshold_edge(50, 2)) ==
        "tensor([[[ 0.0000,  0.2500,  ...,  1.7500,  2.0000],\n"
        "         [ 2.2500,  2.5000,  ...,  4.0000,  4.2500],\n"
        "         [ 4.5000,  4.7500,  ...,  6.2500,  6.5000]],\n"
        "\n"
        "        [[ 6.7500,  7.0000,  ...,  8.5000,  8.7500],\n"
        "         [ 9.0000,  9.2500,  ..., 10.7500, 11.0000],\n"
        "         [11.2500, 11.5000,  ..., 13.0000, 13.2500]],\n"
        "\n"
        "        ...,\n"
        "\n"
        "        [[33.7500, 34.0000,  ..., 35.5000, 35.7500],\n"
        "         [36.0000, 36.2500,  ..., 37.7500, 38.0000],\n"
        "         [38.2500, 38.5000,  ..., 40.0000, 40.2500]],\n"
        "\n"
        "        [[40.5000, 40.7500,  ..., 42.2500, 42.5000],\n"
        "         [42.7500, 43.0000,  ..., 44.5000, 44.7500],\n"
        "         [45.0000, 45.2500,  ..., 46.7500, 47.0000]]], dtype=float64)");
  // A huge edgeitems never cuts anything.
  CHECK(rd::to_string(a, threshold_edge(0, std::numeric_limits<std::int64_t>::max())) ==
        "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])");
}

TEST_CASE("print: precision, line width and scientific mode options", "[print]") {
  rd::tensor<float> p = {1.12345f};
  CHECK(rd::to_string(p, opts_with(2, 1000, 3, 80)) == "tensor([1.12])");
  rd::tensor<float> p0 = {0.5f, 1.25f, 2.5f, -3.75f};  // %.0f rounds half to even
  CHECK(rd::to_string(p0, opts_with(0, 1000, 3, 80)) == "tensor([ 0,  1,  2, -4])");
  rd::tensor<double> p8 = {1.0 / 3.0, 2.0 / 3.0};
  CHECK(rd::to_string(p8, opts_with(8, 1000, 3, 80)) ==
        "tensor([0.33333333, 0.66666667], dtype=float64)");
  rd::tensor<float> p1 = {1e-5f, 2.f};
  CHECK(rd::to_string(p1, opts_with(1, 1000, 3, 80)) == "tensor([1.0e-05, 2.0e+00])");
  CHECK(rd::to_string(rd::from_vector(quarters(12)), opts_with(4, 1000, 3, 40)) ==
        "tensor([0.0000, 0.2500, 0.5000, 0.7500,\n"
        "        1.0000, 1.2500, 1.5000, 1.7500,\n"
        "        2.0000, 2.2500, 2.5000, 2.7500])");
  rd::tensor<float> ints = {1.f, 2.f, 3.f};
  CHECK(rd::to_string(ints, opts_with(4, 1000, 3, 5)) ==
        "tensor([1.,\n"
        "        2.,\n"
        "        3.])");
  rd::tensor<std::int64_t> two = {1, 2};
  CHECK(rd::to_string(two, opts_with(4, 1000, 3, 1)) ==
        "tensor([1,\n"
        "        2])");

  const auto on = rd::sci_mode::on;
  const auto off = rd::sci_mode::off;
  rd::tensor<float> s = {0.5f, 2.f};
  CHECK(rd::to_string(s, opts_with(4, 1000, 3, 80, on)) == "tensor([5.0000e-01, 2.0000e+00])");
  CHECK(rd::to_string(ints.slice(0, 0, 2), opts_with(4, 1000, 3, 80, on)) ==
        "tensor([1.0000e+00, 2.0000e+00])");
  // With no nonzero finite value PyTorch never applies sci_mode.
  CHECK(rd::to_string(rd::zeros<float>({2}), opts_with(4, 1000, 3, 80, on)) == "tensor([0., 0.])");
  CHECK(rd::to_string(rd::scalar(0.5f), opts_with(4, 1000, 3, 80, on)) == "tensor(5.0000e-01)");
  // Off keeps the width the automatic choice computed.
  rd::tensor<float> t = {1e-5f, 1.f};
  CHECK(rd::to_string(t, opts_with(4, 1000, 3, 80, off)) == "tensor([    0.0000,     1.0000])");
  rd::tensor<double> big = {1e10, 1.0};
  CHECK(rd::to_string(big, opts_with(4, 1000, 3, 80, off)) ==
        "tensor([10000000000.,         1.], dtype=float64)");
}

TEST_CASE("print: global options, the guard and validation", "[print]") {
  const rd::print_options defaults = rd::get_print_options();
  CHECK(defaults.precision == 4);
  CHECK(defaults.threshold == 1000);
  CHECK(defaults.edgeitems == 3);
  CHECK(defaults.linewidth == 80);
  CHECK(defaults.sci == rd::sci_mode::automatic);

  rd::tensor<float> p = {1.12345f};
  {
    rd::print_options o;
    o.precision = 2;
    rd::print_options_guard guard(o);
    CHECK(rd::get_print_options().precision == 2);
    CHECK(rd::to_string(p) == "tensor([1.12])");
    std::ostringstream os;
    os << p;
    CHECK(os.str() == "tensor([1.12])");
    // Explicit options win over the global ones.
    CHECK(rd::to_string(p, rd::print_options{}) == "tensor([1.1235])");
  }
  CHECK(rd::get_print_options().precision == 4);
  CHECK(rd::to_string(p) == "tensor([1.1235])");

  {
    rd::print_options o;
    o.threshold = 5;
    o.sci = rd::sci_mode::on;
    rd::print_options_guard outer(o);
    CHECK(rd::to_string(rd::arange<std::int64_t>(0, 10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])");
    rd::print_options inner_o;
    inner_o.edgeitems = 1;
    inner_o.threshold = 5;
    {
      rd::print_options_guard inner(inner_o);
      CHECK(rd::to_string(rd::arange<std::int64_t>(0, 10)) == "tensor([0,  ..., 9])");
    }
    CHECK(rd::get_print_options().sci == rd::sci_mode::on);
    CHECK(rd::get_print_options().threshold == 5);
  }
  CHECK(rd::get_print_options().threshold == 1000);
  CHECK(rd::get_print_options().sci == rd::sci_mode::automatic);

  rd::print_options bad;
  bad.precision = -1;
  CHECK_THROWS_AS(rd::set_print_options(bad), rd::error);
  CHECK_THROWS_AS(rd::to_string(p, bad), rd::error);
  bad = rd::print_options{};
  bad.edgeitems = -2;
  CHECK_THROWS_AS(rd::set_print_options(bad), rd::error);
  CHECK(rd::get_print_options().precision == 4);
  CHECK(rd::get_print_options().edgeitems == 3);

  rd::print_options changed;
  changed.linewidth = 40;
  rd::set_print_options(changed);
  CHECK(rd::get_print_options().linewidth == 40);
  rd::set_print_options(rd::print_options{});
  CHECK(rd::get_print_options().linewidth == 80);
}

TEST_CASE("print options out of range throw value_error and keep the old options", "[print]") {
  using limits64 = std::numeric_limits<std::int64_t>;
  const rd::print_options set = opts_with(6, 12, 2, 50, rd::sci_mode::off);
  rd::set_print_options(set);
  auto unchanged = [&] {
    const rd::print_options now = rd::get_print_options();
    return now.precision == 6 && now.threshold == 12 && now.edgeitems == 2 && now.linewidth == 50 &&
           now.sci == rd::sci_mode::off;
  };
  struct bad_case {
    rd::print_options options;
    const char* message;
  };
  const std::vector<bad_case> bad = {
      {opts_with(-1, 1000, 3, 80), "precision must be in [0, 30], got -1"},
      {opts_with(31, 1000, 3, 80), "precision must be in [0, 30], got 31"},
      {opts_with(std::numeric_limits<int>::max(), 1000, 3, 80), "got 2147483647"},
      {opts_with(std::numeric_limits<int>::min(), 1000, 3, 80), "got -2147483648"},
      {opts_with(4, -1, 3, 80), "threshold must be >= 0, got -1"},
      {opts_with(4, limits64::min(), 3, 80), "threshold must be >= 0, got -9223372036854775808"},
      {opts_with(4, 1000, -1, 80), "edgeitems must be >= 0, got -1"},
      {opts_with(4, 1000, limits64::min(), 80), "edgeitems must be >= 0"},
      {opts_with(4, 1000, 3, 0), "linewidth must be >= 1, got 0"},
      {opts_with(4, 1000, 3, -80), "linewidth must be >= 1, got -80"},
      {opts_with(4, 1000, 3, limits64::min()), "linewidth must be >= 1, got -9223372036854775808"},
      {opts_with(4, 1000, 3, 80, static_cast<rd::sci_mode>(7)), "sci must be"},
  };
  const rd::tensor<float> x = {1.5f, 2.25f};
  for (const bad_case& b : bad) {
    INFO("expected: " << b.message);
    CHECK_THAT(
        radicand_test::message_of<rd::value_error>([&] { rd::set_print_options(b.options); }),
        Catch::Matchers::StartsWith("radicand::set_print_options: ") &&
            Catch::Matchers::Contains(b.message));
    CHECK(unchanged());
    CHECK_THAT(radicand_test::message_of<rd::value_error>(
                   [&] { rd::print_options_guard guard(b.options); }),
               Catch::Matchers::Contains(b.message));
    CHECK(unchanged());
    // Options given directly to to_string are checked there.
    CHECK_THAT(
        radicand_test::message_of<rd::value_error>([&] { (void)rd::to_string(x, b.options); }),
        Catch::Matchers::StartsWith("radicand::to_string: ") &&
            Catch::Matchers::Contains(b.message));
  }
  CHECK(rd::to_string(x) == "tensor([1.500000, 2.250000])");
  rd::set_print_options(rd::print_options{});
}

TEST_CASE("print options at the ends of their ranges print as PyTorch", "[print]") {
  using limits64 = std::numeric_limits<std::int64_t>;
  const rd::tensor<float> x = {1.5f, 2.25f};
  // '%.30f' of 1.5 and 2.25 (exact in binary); 32 characters each, two per 80-column line.
  CHECK(rd::to_string(x, opts_with(30, 1000, 3, 80)) ==
        "tensor([1.500000000000000000000000000000, 2.250000000000000000000000000000])");
  CHECK(rd::to_string(x, opts_with(0, 1000, 3, 80)) == "tensor([2, 2])");
  // Line width 1: one element per line, and every suffix on a line of its own.
  CHECK(rd::to_string(rd::tensor<double>{1.0, 2.0, 3.0}, opts_with(4, 1000, 3, 1)) ==
        "tensor([1.,\n"
        "        2.,\n"
        "        3.],\n"
        "       dtype=float64)");
  // The widest line: nothing wraps.
  CHECK(rd::to_string(rd::arange<std::int32_t>(0, 30), opts_with(4, 1000, 3, limits64::max())) ==
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, "
        "20, 21, 22, 23, 24, 25, 26, 27, 28, 29], dtype=int32)");
  // Threshold 0 summarises every tensor; the largest threshold none.
  const rd::tensor<std::int64_t> a = rd::arange<std::int64_t>(0, 10);
  CHECK(rd::to_string(a, threshold_edge(0, 1)) == "tensor([0,  ..., 9])");
  CHECK(rd::to_string(a, threshold_edge(limits64::max(), 1)) ==
        "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 6).reshape({2, 3}),
                      threshold_edge(0, limits64::max())) ==
        "tensor([[0, 1, 2],\n"
        "        [3, 4, 5]])");
  rd::set_print_options(opts_with(30, limits64::max(), limits64::max(), limits64::max()));
  CHECK(rd::to_string(rd::scalar(0.5)) ==
        "tensor(0.500000000000000000000000000000, dtype=float64)");
  rd::set_print_options(rd::print_options{});
}

TEST_CASE("print: operator<< writes what to_string returns", "[print]") {
  rd::tensor<float> m = {{0.5f, 1.f / 3.f}, {0.25f, 0.2f}};
  std::ostringstream os;
  os << m;
  CHECK(os.str() == rd::to_string(m));
  std::ostringstream several;
  rd::tensor<std::int32_t> i = {1, 2, 3};
  several << "x = " << i << "; s = " << rd::scalar(true) << '\n';
  CHECK(several.str() == "x = tensor([1, 2, 3], dtype=int32); s = tensor(True)\n");
  std::ostringstream big;
  big << rd::arange<float>(0.f, 2000.f);
  CHECK(big.str() == rd::to_string(rd::arange<float>(0.f, 2000.f)));
}

TEST_CASE("print: shape sizes and strides stream as libtorch prints sizes()", "[print]") {
  const rd::tensor<float> x = rd::zeros<float>({2, 3});
  std::ostringstream os;
  os << x.shape() << ' ' << x.sizes() << ' ' << x.strides();
  CHECK(os.str() == "[2, 3] [2, 3] [3, 1]");
  std::ostringstream transposed;
  transposed << x.t().shape() << ' ' << x.t().strides();
  CHECK(transposed.str() == "[3, 2] [1, 3]");
  std::ostringstream permuted;
  permuted << rd::zeros<float>({2, 3, 4}).permute({2, 0, 1}).strides();
  CHECK(permuted.str() == "[1, 12, 4]");
  std::ostringstream zero_d;
  zero_d << rd::scalar(1.f).shape() << ' ' << rd::scalar(1.f).strides();
  CHECK(zero_d.str() == "[] []");
  std::ostringstream empty;
  empty << rd::tensor<float>().shape() << ' ' << rd::zeros<float>({0, 5000000000}).shape();
  CHECK(empty.str() == "[0] [0, 5000000000]");
  std::ostringstream one;
  one << "shape " << rd::tensor<float>{1.f}.shape() << ", " << rd::int_list{-1, 7} << '\n';
  CHECK(one.str() == "shape [1], [-1, 7]\n");
  // The messages print shapes the same way.
  CHECK_THAT(radicand_test::message_of<rd::shape_error>([&] { (void)x.item(); }),
             Catch::Matchers::Contains("(shape " + os.str().substr(0, 6) + ")"));
}

TEST_CASE("print: views print in logical order", "[print]") {
  rd::tensor<std::int64_t> a = {{1, 2, 3}, {4, 5, 6}};
  auto t = a.transpose(0, 1);
  REQUIRE_FALSE(t.is_contiguous());
  CHECK(rd::to_string(t) ==
        "tensor([[1, 4],\n"
        "        [2, 5],\n"
        "        [3, 6]])");
  CHECK(rd::to_string(t) == rd::to_string(t.contiguous()));
  rd::tensor<float> f = {{0.5f, 2.f, 3.f}, {4.f, 0.25f, 6.f}};
  CHECK(rd::to_string(f.transpose(0, 1)) ==
        "tensor([[0.5000, 4.0000],\n"
        "        [2.0000, 0.2500],\n"
        "        [3.0000, 6.0000]])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 2000).reshape({40, 50}).transpose(0, 1)) ==
        "tensor([[   0,   50,  100,  ..., 1850, 1900, 1950],\n"
        "        [   1,   51,  101,  ..., 1851, 1901, 1951],\n"
        "        [   2,   52,  102,  ..., 1852, 1902, 1952],\n"
        "        ...,\n"
        "        [  47,   97,  147,  ..., 1897, 1947, 1997],\n"
        "        [  48,   98,  148,  ..., 1898, 1948, 1998],\n"
        "        [  49,   99,  149,  ..., 1899, 1949, 1999]])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 24).reshape({2, 3, 4}).permute({2, 0, 1})) ==
        "tensor([[[ 0,  4,  8],\n"
        "         [12, 16, 20]],\n"
        "\n"
        "        [[ 1,  5,  9],\n"
        "         [13, 17, 21]],\n"
        "\n"
        "        [[ 2,  6, 10],\n"
        "         [14, 18, 22]],\n"
        "\n"
        "        [[ 3,  7, 11],\n"
        "         [15, 19, 23]]])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 10).slice(0, 0, 10, 2)) ==
        "tensor([0, 2, 4, 6, 8])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 6).reshape({2, 3})[1]) == "tensor([3, 4, 5])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 6).reshape({2, 3}).select(1, 2)) ==
        "tensor([2, 5])");
  CHECK(rd::to_string(rd::arange<std::int64_t>(0, 6).reshape({2, 3})[1][2]) == "tensor(5)");
  rd::tensor<std::int32_t> row = {1, 2, 3};
  CHECK(rd::to_string(row.expand({2, 3})) ==
        "tensor([[1, 2, 3],\n"
        "        [1, 2, 3]], dtype=int32)");
  // A summarised view whose rows are strided.
  auto big = rd::arange<float>(0.f, 4000.f).reshape({2, 2000}).transpose(0, 1);
  CHECK(rd::to_string(big) == rd::to_string(big.contiguous()));
}

TEST_CASE("print: half and bfloat16 values go through float", "[print]") {
  rd::tensor<rd::half> h = {rd::half(0.1f), rd::half(1.f / 3.f), rd::half(65504.f)};
  CHECK(rd::to_string(h) == "tensor([9.9976e-02, 3.3325e-01, 6.5504e+04], dtype=float16)");
  rd::tensor<rd::bfloat16> b = {rd::bfloat16(0.1f), rd::bfloat16(1.f / 3.f), rd::bfloat16(3.f)};
  CHECK(rd::to_string(b) == "tensor([0.1001, 0.3340, 3.0000], dtype=bfloat16)");
  rd::tensor<rd::half> hi = {rd::half(70000.f), rd::half(-1.f), rd::half(0.5f)};  // 70000 -> inf
  CHECK(rd::to_string(hi) == "tensor([    inf, -1.0000,  0.5000], dtype=float16)");
  rd::tensor<rd::bfloat16> bb = {rd::bfloat16(1e30f), rd::bfloat16(1.f)};
  CHECK(rd::to_string(bb) == "tensor([1.0003e+30, 1.0000e+00], dtype=bfloat16)");
  rd::tensor<rd::half> sub = {rd::half::from_bits(0x0001), rd::half(1.f)};  // smallest subnormal
  CHECK(rd::to_string(sub) == "tensor([5.9605e-08, 1.0000e+00], dtype=float16)");
  rd::tensor<rd::half> hm = {{rd::half(1.5f), rd::half(-2.25f)},
                             {rd::half(1000.f), rd::half(0.125f)}};
  CHECK(rd::to_string(hm) ==
        "tensor([[ 1.5000e+00, -2.2500e+00],\n"
        "        [ 1.0000e+03,  1.2500e-01]], dtype=float16)");
  CHECK(rd::to_string(rd::arange<float>(0.f, 2000.f).to<rd::half>()) ==
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03], dtype=float16)");
  CHECK(rd::to_string(rd::full<rd::bfloat16>({3}, rd::bfloat16(-0.f))) ==
        "tensor([-0., -0., -0.], dtype=bfloat16)");
}

TEST_CASE("print: the decimal point ignores the C locale", "[print]") {
  const char* current = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = current != nullptr ? current : "C";
  const char* names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "de_DE",
                         "German_Germany.1252"};
  // Switch to a locale with a decimal comma where one is installed (else this checks "C").
  for (const char* name : names)
    if (std::setlocale(LC_NUMERIC, name) != nullptr) break;
  rd::tensor<float> v = {1.f, 0.5f, 1.f / 3.f, 1e-5f};
  const std::string s = rd::to_string(v);
  rd::tensor<double> w = {1.0, 0.5, 1.0 / 3.0};
  const std::string fixed = rd::to_string(w);
  std::setlocale(LC_NUMERIC, saved.c_str());
  CHECK(s == "tensor([1.0000e+00, 5.0000e-01, 3.3333e-01, 1.0000e-05])");
  CHECK(fixed == "tensor([1.0000, 0.5000, 0.3333], dtype=float64)");
}
