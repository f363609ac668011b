<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Document</title>
</head>
<body>
    <img src="gs://foodapp-be64c.appspot.com/waifu.jpg" alt="">
<table>
    @php $i = 1 @endphp
    @forelse($admins as $key => $item)
    <tr>
        <td>{{$i++}}</td>
        <td> {{$item['username']}}</td>
    </tr>
    @endforelse
</table>
</body>
</html>
